"""The duty catalogue (派单目录) of the demo city of Qinghe.

Written from what each office is responsible for under the usual division of
duties in a Chinese city government (the "three determinations" of each
bureau: its functions, bodies and staffing), NOT from any labelled
submissions. It serves three purposes:

* ``RULES`` become the demo routing rules (``seed_demo`` writes them): only
  anchors that belong to one office whatever the context, with "none of"
  keywords for the well-known borderline cases (wages owed on a building site
  go to human resources, not housing; a factory's noise goes to ecology, a
  building site's to housing, a vendor's loudspeaker to city management);
* ``TERMS`` are the phrases each office's dispatch catalogue lists; the
  suggester uses hits on them as features and learns from them before it has
  seen a single case (so a fresh portal routes well from its first submission);
* ``DUTIES`` are short descriptions of each office's duties, used as the
  suggester's first training documents.
"""

from __future__ import annotations


def _phrases(joined: str) -> list[str]:
    """Phrases written one after another, separated by "|" (keeps the catalogue readable)."""
    return [p.strip() for p in joined.split("|") if p.strip()]


# Phrases per office, Chinese then English (English is matched lowercased).
TERMS: dict[str, list[str]] = {
    "CGJ": _phrases(
        "城管|城市管理|占道经营|占道|摆摊|摊贩|流动摊贩|小贩|夜市|出店经营|违建|违法建设|违章建筑|违章搭建|私搭乱建|"
        "乱搭乱建|搭建|加盖|彩钢棚|垃圾|垃圾桶|垃圾站|垃圾清运|乱扔|乱倒|建筑垃圾|渣土|环卫|保洁|清扫|公厕|公共厕所|"
        "户外广告|广告牌|招牌|横幅|小广告|牛皮癣|乱贴|乱涂|传单|市容|喇叭叫卖|高音喇叭|叫卖|路灯|井盖|餐厨垃圾|"
        "垃圾分类|油烟|烧烤|露天烧烤|共享单车|乱堆乱放|堆放杂物|圈地|地锁|street vendor|vendor|hawker|stall|"
        "illegal structure|illegal construction|shed|litter|garbage|rubbish|trash|waste bin|sanitation|"
        "street cleaning|public toilet|billboard|advertising sign|leaflet|flyer|graffiti|street light|manhole|"
        "loudspeaker|barbecue|shared bike"
    ),
    "STHJ": _phrases(
        "生态环境|环保|污染|排污|偷排|废气|废水|废水排放|黑烟|冒黑烟|烟囱|粉尘|扬尘污染|异味|臭味|刺鼻|气味|恶臭|"
        "化工厂|工厂|厂房|车间|企业排放|排放|工业噪声|工厂噪音|机器轰鸣|设备噪音|冷却塔|空调外机噪音|商业噪声|"
        "酒吧噪音|KTV|歌厅|河道污染|河水发黑|河水发臭|黑臭水体|死鱼|水体污染|土壤污染|固废|危废|辐射|基站辐射|环评|"
        "焚烧|塑料焚烧|锅炉|喷漆|电镀|养殖场|臭气|pollution|polluting|factory|plant|emission|exhaust|smoke|chimney|"
        "fumes|odour|odor|smell|stench|discharge|effluent|wastewater|dust|chemical smell|industrial noise|"
        "factory noise|bar noise|karaoke|river pollution|dead fish|radiation|environmental"
    ),
    "ZJJ": _phrases(
        "住建|住房|工地|建筑工地|施工|夜间施工|施工噪音|施工扰民|连夜施工|打桩|混凝土|塔吊|脚手架|开发商|楼盘|"
        "商品房|交房|延期交房|烂尾|房屋质量|漏水|渗水|墙体开裂|裂缝|物业|物业费|物业公司|业委会|业主委员会|维修基金|"
        "公共维修资金|小区|老旧小区|老旧小区改造|加装电梯|电梯|电梯故障|困人|燃气|天然气|燃气管道|燃气费|煤气|供暖|"
        "暖气|集中供热|不热|保障房|公租房|廉租房|租赁|房屋租赁|中介|二手房|装修|拆迁|棚改|安置房|construction site|"
        "building site|construction|night work|pile driving|crane|developer|property management|property company|"
        "property fee|management fee|homeowners|housing|apartment|elevator|lift|gas supply|gas pipe|heating|"
        "radiator|renovation|leak|crack|landlord|rental"
    ),
    "JTJ": _phrases(
        "交通运输|公交|公交车|公交线路|公交站|站台|班次|司机|末班车|首班车|地铁|轨道交通|地铁站|出租车|的士|网约车|"
        "滴滴|拒载|绕路|绕道|议价|打表|客运|长途汽车|客运站|驾校|驾驶培训|教练|道路破损|路面破损|坑洼|路面坑|塌陷|"
        "道路维修|修路|公路|桥梁|路面|沥青|公交卡|报站|线路调整|停运|班车|bus|bus route|bus stop|metro|subway|taxi|"
        "cab|ride-hailing|ride hailing|didi|driver|fare|detour|driving school|driving instructor|pothole|"
        "road surface|road damage|broken road|bridge|timetable|schedule|announcement"
    ),
    "JJ": _phrases(
        "交警|交通警察|违停|违章停车|乱停车|乱停|停车|占用车位|堵路|堵车|拥堵|交通拥堵|红绿灯|信号灯|绿灯|红灯|"
        "闯红灯|斑马线|人行横道|礼让行人|逆行|超速|飙车|炸街|改装车|酒驾|醉驾|电动车|电瓶车|头盔|驾驶证|驾照|行驶证|"
        "车牌|号牌|违章|罚单|交通事故|事故|摄像头|电子眼|限行|单行|掉头|交通标志|标线|隔离栏|渣土车|大货车|货车|"
        "parking|parked|illegal parking|double parking|tow|traffic light|traffic signal|signal|red light|congestion|"
        "traffic jam|jam|crosswalk|zebra crossing|speeding|drunk driving|traffic police|licence|license|plate|"
        "ticket|fine|accident|e-bike|motorbike|racing|lane"
    ),
    "SCJ": _phrases(
        "市场监管|市场监督|食品安全|食品|过期|变质|发霉|异物|吃坏|拉肚子|食物中毒|餐馆|饭店|餐厅|外卖|后厨|卫生许可|"
        "营业执照|无证经营|超市|商家|商场|消费|消费者|投诉商家|退款|退货|三包|售后|质量问题|假货|假冒|虚假宣传|"
        "虚假广告|广告法|价格|乱收费|涨价|哄抬|明码标价|标价|缺斤短两|短斤少两|预付卡|充值|办卡|会员卡|跑路|健身房|"
        "美容院|理发店|药店|保健品|计量|电子秤|特种设备|商标|直播带货|food|food safety|expired|restaurant|takeaway|"
        "takeout|supermarket|shop|store|refund|consumer|overcharged|price|pricing|false advertising|fake|"
        "counterfeit|prepaid card|membership card|gym|beauty salon|hair salon|scale|receipt|warranty|product|sold"
    ),
    "RSJ": _phrases(
        "人社|人力资源|社会保障|欠薪|拖欠工资|工资|讨薪|薪水|欠工资|加班费|克扣|农民工|包工头|劳务费|劳动合同|"
        "劳动关系|辞退|解雇|开除|经济补偿|赔偿金|试用期|劳动仲裁|仲裁|社保|社会保险|五险一金|缴纳社保|养老保险|"
        "医疗保险|医保|医保卡|报销|失业保险|失业金|工伤|生育保险|养老金|退休金|退休|职称|招聘|就业|求职|培训补贴|"
        "人才|档案|最低工资|wage|wages|salary|unpaid|owed|pay|paid|overtime|labour|labor|contract|employer|employee|"
        "fired|dismissed|dismissal|compensation|social insurance|medical insurance|insurance|pension|retirement|"
        "unemployment|work injury|job|recruitment|arbitration"
    ),
    "JYJ": _phrases(
        "教育|学校|小学|中学|初中|高中|幼儿园|入学|招生|学位|学区|划片|转学|择校|借读|学籍|学费|收费|补课|校外培训|"
        "培训机构|辅导班|课外班|学科类培训|双减|作业|课后服务|老师|教师|班主任|体罚|校园|校园安全|校车|食堂|学生|"
        "家长|校服|教辅|考试|中考|高考|放学|上学|school|primary school|middle school|kindergarten|enrolment|"
        "enrollment|admission|school place|tuition|tutoring|training centre|training center|after-school|homework|"
        "teacher|pupil|student|class|exam|school bus|canteen|uniform"
    ),
    "WJW": _phrases(
        "卫健|卫生健康|医院|医生|护士|门诊|急诊|住院|挂号|号贩子|看病|就医|诊所|社区医院|卫生院|社区卫生服务中心|"
        "疫苗|接种|预防接种|打针|医疗纠纷|医疗事故|误诊|手术|态度恶劣|红包|过度医疗|病床|药|处方|体检|核酸|传染病|"
        "发热门诊|救护车|120|黑诊所|非法行医|母婴|产检|计划生育|献血|hospital|doctor|nurse|clinic|outpatient|"
        "emergency room|patient|appointment|registration number|vaccine|vaccination|vaccinated|jab|medical|"
        "treatment|surgery|ambulance|health centre|health center|prescription|medicine"
    ),
    "SWJ": _phrases(
        "水务|停水|断水|没水|水压|水压低|自来水|水质|水发黄|黄水|浑浊|水管|供水|二次供水|水表|水费|爆管|管道破裂|"
        "漏水点|积水|内涝|排水|下水道|排水管|雨水|污水管|污水井|化粪池|堵塞|返水|冒水|窨井|雨水口|防汛|水淹|泵站|"
        "河道|河堤|水库|节水|water supply|water outage|no water|water cut|tap water|water pressure|water quality|"
        "yellow water|rusty water|water pipe|burst pipe|water meter|water bill|drain|drainage|flooding|flooded|"
        "waterlogging|sewer|sewage|storm drain|blocked drain"
    ),
    "MZJ": _phrases(
        "民政|养老|养老院|敬老院|养老机构|老年人|老人|高龄补贴|居家养老|助餐|老年食堂|低保|最低生活保障|特困|救助|"
        "临时救助|困难家庭|残疾|残疾人|残疾人补贴|婚姻登记|结婚登记|离婚|结婚证|社区居委会|居委会|村委会|社区工作者|"
        "社会组织|殡葬|墓地|公墓|流浪|乞讨|孤儿|留守儿童|福利院|慈善|地名|elderly|old people|senior|nursing home|"
        "care home|aged care|elderly care|subsidy|allowance|low-income|poverty|disability|disabled|wheelchair|"
        "marriage registration|marriage|divorce|residents' committee|residents committee|community committee|"
        "homeless|orphan|funeral|cemetery|charity"
    ),
    "YLJ": _phrases(
        "园林|绿化|树|树木|大树|行道树|树枝|断枝|枯枝|枯树|倒伏|倒树|修剪|砍伐|砍树|移栽|树根|树叶|落叶|杨絮|柳絮|"
        "飞絮|虫害|病虫害|绿地|绿化带|草坪|草地|花坛|公园|游园|口袋公园|古树|名木|毁绿|种菜|苗木|滨河绿道|绿道|tree|"
        "trees|branch|branches|fallen branch|pruning|prune|trimming|cut down|felled|leaves|park|parks|green belt|"
        "greenbelt|lawn|grass|flower bed|greenery|greenway|catkins|pests"
    ),
    "ZRZY": _phrases(
        "自然资源|规划|国土|土地|用地|占地|土地使用|违法占地|耕地|基本农田|宅基地|征地|土地出让|规划许可|"
        "建设工程规划许可|规划调整|规划变更|容积率|日照|采光|间距|控规|不动产|不动产登记|不动产权证|房产证|产权证|"
        "办证|过户|抵押登记|确权|测绘|地图|矿产|采砂|挖沙|山体|地质灾害|land use|land|planning|planning permit|"
        "planning permission|zoning|plot ratio|sunlight|daylight|property registration|property certificate|"
        "title deed|deed|ownership certificate|real estate registration|farmland|survey|mining|sand mining"
    ),
    "YJJ": _phrases(
        "应急|应急管理|安全生产|安全隐患|隐患|消防|消防通道|消防栓|灭火器|火灾|起火|着火|失火|火灾隐患|易燃|"
        "易燃易爆|爆炸|危险化学品|危化品|化学品|液化气|液化气罐|煤气罐|气瓶|烟花爆竹|鞭炮|仓库|群租房|电动车充电|"
        "飞线充电|私拉电线|安全事故|矿山|有限空间|防灾|减灾|地震|应急避难|避难场所|逃生|疏散|安全出口|fire|"
        "fire hazard|fire exit|fire escape|fire extinguisher|hydrant|evacuation|explosion|explosive|flammable|"
        "hazardous|chemicals|hazardous chemicals|gas cylinder|cylinders|fireworks|warehouse|workplace safety|"
        "safety hazard|emergency shelter|earthquake|disaster"
    ),
}

# One or two sentences per office, in both languages, about what it handles.
DUTIES: dict[str, list[str]] = {
    "CGJ": [
        "城市管理局负责市容环境卫生、占道经营和流动摊贩、违法建设、户外广告和招牌、垃圾清运和分类、公厕、路灯井盖、露天烧烤油烟。",
        "The urban management bureau handles street vendors, illegal structures, litter and garbage collection, "
        "outdoor advertising, public toilets, street cleaning and street lights.",
    ],
    "STHJ": [
        "生态环境局负责工厂企业的废气废水排放、异味恶臭、粉尘、河道水体污染、工业和商业经营场所噪声。",
        "The ecology and environment bureau handles factory pollution, smells, smoke, air and water pollution, "
        "and noise from factories, workshops, bars and shops.",
    ],
    "ZJJ": [
        "住房和城乡建设局负责建筑工地施工和夜间施工噪音、物业管理、房屋质量、开发商交房、老旧小区改造和加装电梯、燃气供应、供暖。",
        "The housing and construction bureau handles building sites and night construction work, property "
        "management companies, housing quality, developers, lifts in old compounds, gas supply and heating.",
    ],
    "JTJ": [
        "交通运输局负责公交线路和班次、地铁、出租车和网约车服务、客运、驾校、道路路面破损和公路桥梁养护。",
        "The transport bureau handles bus routes and drivers, the metro, taxis and ride-hailing, coaches, "
        "driving schools, potholes and damaged road surfaces.",
    ],
    "JJ": [
        "公安局交通警察支队负责违章停车、交通信号灯、交通拥堵疏导、交通违法行为、驾驶证和车辆号牌。",
        "The traffic police handle illegal parking, traffic lights, congestion, speeding and other traffic "
        "violations, driving licences and number plates.",
    ],
    "SCJ": [
        "市场监督管理局负责食品安全、餐馆卫生、消费纠纷、虚假广告宣传、价格收费、预付卡办卡跑路、商品质量和计量。",
        "The market regulation bureau handles food safety, restaurants, consumer disputes and refunds, false "
        "advertising, prices, prepaid membership cards and product quality.",
    ],
    "RSJ": [
        "人力资源和社会保障局负责拖欠工资、劳动合同和劳动争议、社会保险和医疗保险、养老金、就业招聘。",
        "The human resources and social security bureau handles unpaid wages, labour contracts, dismissals, "
        "social and medical insurance, pensions and jobs.",
    ],
    "JYJ": [
        "教育局负责中小学和幼儿园入学招生、学校收费、校外培训机构、校园安全、教师师德。",
        "The education bureau handles school enrolment, school fees, after-school tutoring centres, safety at "
        "schools and teachers' conduct.",
    ],
    "WJW": [
        "卫生健康委员会负责医院和诊所的医疗服务、医生护士的态度和医德、疫苗接种、社区卫生服务、非法行医。",
        "The health commission handles hospitals and clinics, doctors' and nurses' conduct, vaccination and "
        "community health centres.",
    ],
    "SWJ": [
        "水务局负责停水和自来水水质、供水管道爆管、排水和下水道堵塞、雨后积水内涝、污水管网。",
        "The water affairs bureau handles water outages, tap water quality and pressure, burst water pipes, "
        "drainage, blocked sewers and waterlogged streets.",
    ],
    "MZJ": [
        "民政局负责养老服务和养老院、低保和困难救助、残疾人补贴、婚姻登记、社区居委会、殡葬。",
        "The civil affairs bureau handles elderly care and nursing homes, low-income subsidies, disability "
        "support, marriage registration and residents' committees.",
    ],
    "YLJ": [
        "园林绿化局负责行道树和树木修剪、枯枝断枝倒伏、公园管理、绿地绿化带、飞絮和病虫害。",
        "The landscaping bureau handles street trees, pruning, fallen branches, parks, lawns and green belts.",
    ],
    "ZRZY": [
        "自然资源和规划局负责土地利用和违法占地、建设工程规划许可、规划调整和日照间距、不动产登记和房产证。",
        "The natural resources and planning bureau handles land use, planning permits and zoning, and "
        "property registration and title certificates.",
    ],
    "YJJ": [
        "应急管理局负责消防安全隐患、堵塞消防通道、危险化学品、易燃易爆物品、安全生产、防灾减灾。",
        "The emergency management bureau handles fire hazards, blocked fire exits, hazardous chemicals, gas "
        "cylinders, workplace safety and disaster preparedness.",
    ],
}

# The demo rules, in order. Only anchors that belong to one office whatever the
# context; "none" keeps out the well-known borderline cases.
RULES: list[dict] = [
    {
        "key": "wages-owed",
        "name": "拖欠工资 → 人社局 / Unpaid wages",
        "lead": "RSJ",
        "any": [
            "欠薪",
            "拖欠工资",
            "讨薪",
            "欠工资",
            "工资被拖欠",
            "克扣工资",
            "拖欠农民工",
            "unpaid wages",
            "owed wages",
            "wages owed",
            "unpaid salary",
            "back pay",
        ],
    },
    {
        "key": "social-insurance",
        "name": "社保 → 人社局 / Social insurance",
        "lead": "RSJ",
        "any": [
            "社保",
            "养老保险",
            "失业保险",
            "工伤认定",
            "劳动仲裁",
            "劳动合同",
            "social insurance",
            "labour contract",
            "labor contract",
        ],
    },
    {
        "key": "vaccination",
        "name": "疫苗接种 → 卫健委 / Vaccination",
        "lead": "WJW",
        "any": ["疫苗", "预防接种", "接种门诊", "vaccination", "vaccine"],
        "none": ["宠物", "狂犬", "pet"],
    },
    {
        "key": "subsidies",
        "name": "低保救助 → 民政局 / Subsidies",
        "lead": "MZJ",
        "any": [
            "低保",
            "最低生活保障",
            "特困供养",
            "临时救助",
            "残疾人补贴",
            "高龄补贴",
            "婚姻登记",
            "结婚登记",
            "离婚登记",
            "养老院",
            "敬老院",
            "nursing home",
            "marriage registration",
            "low-income subsidy",
        ],
    },
    {
        "key": "property-registration",
        "name": "不动产登记 → 自然资源和规划局 / Property registration",
        "lead": "ZRZY",
        "any": [
            "不动产登记",
            "不动产权证",
            "房产证",
            "规划许可",
            "宅基地",
            "违法占地",
            "占用耕地",
            "property certificate",
            "property registration",
            "planning permit",
        ],
    },
    {
        "key": "hazardous-chemicals",
        "name": "危化品 → 应急管理局 / Hazardous chemicals",
        "lead": "YJJ",
        "any": ["危险化学品", "危化品", "易燃易爆", "消防通道", "安全出口", "hazardous chemicals", "fire exit"],
    },
    {
        "key": "illegal-parking",
        "name": "违停 → 交警 / Illegal parking",
        "lead": "JJ",
        "any": ["违停", "违章停车", "乱停车", "红绿灯", "信号灯", "闯红灯", "illegal parking", "traffic light"],
    },
    {
        "key": "night-construction",
        "name": "夜间施工 → 住建局 / Night construction",
        "lead": "ZJJ",
        "any": [
            "夜间施工",
            "施工噪音",
            "连夜施工",
            "施工扰民",
            "物业公司",
            "物业费",
            "加装电梯",
            "night construction",
            "property management",
        ],
        "none": ["欠薪", "工资", "wage"],
    },
    {
        "key": "water-outage",
        "name": "停水 → 水务局 / Water outage",
        "lead": "SWJ",
        "any": [
            "停水",
            "自来水",
            "水压低",
            "积水",
            "内涝",
            "下水道",
            "water outage",
            "tap water",
            "waterlogging",
            "sewer",
        ],
        "none": ["工厂", "排污", "偷排", "factory"],
    },
    {
        "key": "prepaid-cards",
        "name": "预付卡 → 市场监管局 / Prepaid cards",
        "lead": "SCJ",
        "any": [
            "预付卡",
            "办卡跑路",
            "虚假宣传",
            "虚假广告",
            "明码标价",
            "缺斤短两",
            "食品安全",
            "过期食品",
            "prepaid card",
            "false advertising",
            "expired food",
        ],
        "none": ["培训", "学校", "tutoring"],
    },
    {
        "key": "street-vendors",
        "name": "占道经营 → 城管局 / Street vendors",
        "lead": "CGJ",
        "any": [
            "占道经营",
            "流动摊贩",
            "违章建筑",
            "违法建设",
            "私搭乱建",
            "户外广告",
            "小广告",
            "street vendor",
            "illegal structure",
        ],
    },
    {
        "key": "enrolment",
        "name": "入学 → 教育局 / Enrolment",
        "lead": "JYJ",
        "any": ["入学", "招生", "学位", "校外培训", "school enrolment", "enrolment", "enrollment", "tutoring"],
        "none": ["驾校", "driving school"],
    },
    {
        "key": "ride-hailing",
        "name": "出租车 → 交通运输局 / Taxis and buses",
        "lead": "JTJ",
        "any": ["网约车", "出租车", "公交线路", "驾校", "ride-hailing", "taxi driver", "driving school", "bus route"],
        "none": ["违停", "乱停", "parking"],
    },
    {
        "key": "fallen-branches",
        "name": "断枝枯树 → 园林绿化局 / Fallen branches",
        "lead": "YLJ",
        "any": ["枯枝", "断枝", "枯树", "修剪树", "行道树", "绿化带", "fallen branch", "dead tree", "green belt"],
    },
    {
        "key": "factory-pollution",
        "name": "工厂污染 → 生态环境局 / Factory pollution",
        "lead": "STHJ",
        "any": ["偷排", "排污", "废气", "冒黑烟", "恶臭", "factory smoke", "discharging"],
        "all": [],
    },
]

# Everyday wording of the same duties: what citizens actually write.
_EVERYDAY: dict[str, list[str]] = {
    "CGJ": _phrases(
        "占用人行道|人行道|门口摆|推车|三轮车卖|卖水果|早餐摊|烧烤摊|夜宵摊|马路市场|乱摆|店外|外摆|遮阳棚|雨棚|"
        "阳台外扩|楼顶加层|顶楼搭|院子里盖|私建|拆除|垃圾堆|垃圾满|垃圾溢|清运不及时|臭气熏天的垃圾|垃圾中转站|"
        "环卫工|扫大街|道路不干净|店招|灯箱|电子屏|广告横幅|发传单|插卡片|车窗上插|满地都是纸|墙上涂写|喷涂|"
        "音响叫卖|循环播放|扩音器|宠物粪便|狗屎|街面|路面脏|共享单车堆|沿街"
    ),
    "STHJ": _phrases(
        "一股味|味道很大|味道刺鼻|熏得|呛人|喉咙|不敢开窗|晚上偷偷排|半夜排放|排到河里|河里|河水|河面|水面漂|泡沫|"
        "颜色发黑|油污|工业园|加工厂|作坊|小作坊|厂子|机器声|轰鸣|嗡嗡|风机|鼓风机|昼夜运转|夜里机器|酒吧|音乐声|"
        "广场舞音响|商铺音响|饭店排风|排风扇|油烟机|油烟扰民|灰尘|烟尘|黑烟|焚烧垃圾|烧东西|养猪场|屠宰|沥青味|"
        "油漆味|化学品味|塑料味"
    ),
    "ZJJ": _phrases(
        "半夜施工|晚上施工|凌晨施工|打桩机|搅拌车|渣土|施工围挡|工地灰尘|工地扬尘|施工许可|夜间施工许可|楼上装修|"
        "物业不管|物业不作为|保安|门禁|小区绿化没人管|电梯坏|电梯停运|电梯异响|加装|楼道|外墙脱落|墙皮|屋顶漏|"
        "楼顶漏水|房子漏雨|新房|精装修|交付|开发商不|售楼|预售|网签|燃气公司|燃气表|燃气泄漏|通气|暖气不热|供暖费|"
        "室温|采暖|住房补贴|公租|租房押金|房东|中介公司|群租"
    ),
    "JTJ": _phrases(
        "等车|等了一个小时|车来得|发车间隔|加开|开通线路|增加班次|不停站|甩站|过站不停|司机态度|司机玩手机|急刹车|"
        "开得太快|站牌|候车亭|公交专用道|地铁口|地铁换乘|地铁票|扫码乘车|打车|叫车|司机拒载|多收费|不打表|一口价|"
        "乘客|乘车|客车|班线|驾校报名|学车|练车|考驾照|教练吃拿卡要|路坏了|路面塌|路面裂|坑坑洼洼|修补|桥面|隧道|"
        "高速|收费站|港湾|共享电单车运营"
    ),
    "JJ": _phrases(
        "停在路边|占道停车|堵住出口|堵门|挡住|停在人行道|停在消防|双排停车|僵尸车|长期停放|拖走|贴条|抄牌|路口|"
        "十字路口|过马路|行人过街|红灯时间|绿灯时间太短|信号灯坏|不亮|早晚高峰|堵得|交通秩序|疏导|交警执勤|开车|"
        "鸣笛|乱鸣笛|深夜炸街|摩托车|电动自行车|上牌|车管所|年检|扣分|违法记录|测速|限速|监控抓拍|货车闯禁|禁止左转|"
        "导向车道|减速带|校门口接送车辆"
    ),
    "SCJ": _phrases(
        "吃了以后|吃出|头发丝|虫子|苍蝇|蟑螂|后厨脏|卫生条件|食材|生产日期|保质期|三无|奶茶店|蛋糕店|熟食|菜市场|"
        "农贸市场|秤|缺斤|电商|网购|快递|商家不退|拒绝退款|维权|消协|投诉无门|装修公司|家电|手机维修|二手车|加油站|"
        "天然气价格|停车收费标准|收费标准|乱涨价|标价不符|宣传|承诺|夸大|保健|老年人买保健品|会员|办了卡|储值卡|"
        "关门|老板跑了|押金不退|药品"
    ),
    "RSJ": _phrases(
        "工钱|结工资|发工资|不给钱|欠我们|干活|打工|工人|工友|包工|劳务公司|公司倒闭|老板失联|老板跑路|没签合同|"
        "不签合同|试用|加班|996|休息日|年假|离职|被辞退|裁员|赔偿|n+1|入职|缴费年限|断缴|补缴|社保卡|医保卡|"
        "异地就医|报销比例|门诊统筹|灵活就业|退休手续|养老金发放|待遇|职业资格|技能培训|招聘会|就业补贴|创业|"
        "人事档案|高校毕业生"
    ),
    "JYJ": _phrases(
        "孩子上学|上幼儿园|入园|学位紧张|户籍|积分入学|派位|对口学校|就近入学|学区房|家长群|学校收|资料费|辅导费|"
        "补习|寒暑假班|托管|放学太早|课后延时|作业太多|睡眠|教室|操场|塑胶跑道|学校门口|校门|接送|校园欺凌|霸凌|"
        "打学生|老师打|有偿补课|师德|代课|教材|考试成绩|毕业证|职业学校|民办学校|公办|营养餐|学校食堂|课桌椅|近视|"
        "班级人数"
    ),
    "WJW": _phrases(
        "看病难|排队挂号|专家号|候诊|医护|大夫|主任|病人|病房|输液|检查费|乱开检查|开药|药费|医院收费|医疗费用|病历|"
        "出院|抢救|延误|死亡|医闹|儿童医院|妇幼保健|儿科|口腔|牙科|整形|美容手术|无证行医|游医|疫苗本|接种证|打疫苗|"
        "预约接种|狂犬疫苗|流感|传染|卫生监督|健康证|家庭医生|签约医生|社区卫生|村医|120急救|急救车"
    ),
    "SWJ": _phrases(
        "没有水|水龙头|出水|水小|水压不够|高层没水|楼上没水|停水通知|恢复供水|水有味道|水里有|漂白粉味|水垢|水箱|"
        "水泵|供水管|管网|自来水管|冒水|路面冒水|一下雨|下雨就淹|大雨|暴雨|雨后|路口积水|地下车库进水|淹了|排水不畅|"
        "雨水篦子|下水井|井盖冒|污水冒|污水横流|化粪池满|管道堵|疏通|排水沟|明沟|河道清淤|防洪|水位|水费太贵|"
        "阶梯水价|抄表"
    ),
    "MZJ": _phrases(
        "老人家|独居老人|孤寡老人|空巢|失能|半失能|护理|护工|日间照料|老年活动中心|老年大学|助老|送餐|养老补贴|"
        "养老服务中心|养老床位|高龄|百岁|困难群众|低收入|生活困难|救济|补助|申请补助|残疾证|残联|盲人|聋哑|轮椅|"
        "无障碍|婚姻|登记处|办结婚|离婚冷静期|社区服务|社区换届|居民委员会|网格员|社工|流浪人员|救助站|骨灰|殡仪馆|"
        "墓穴|丧葬|未成年人保护|儿童福利|收养"
    ),
    "YLJ": _phrases(
        "树倒了|树枝断|树枝挡|挡住窗户|遮挡阳光|树太高|树枝伸|树枝刮|砸到|砸车|歪斜|树要倒|大风刮断|台风|修枝|剪枝|"
        "绿篱|灌木|草长|杂草|浇水|草皮|绿植|花草|踩踏|毁坏绿地|占用绿地|公园里|公园设施|公园开放|公园厕所|公园健身|"
        "长椅|湿地公园|植物园|动物园|古树名木|银杏|梧桐|法桐|白蛾|毛毛虫|蚊虫|打药|飞絮过敏"
    ),
    "ZRZY": _phrases(
        "规划图|规划公示|规划变更|小区规划|用地性质|绿地变|建高楼|挡光|遮挡日照|楼间距|日照时间|违法用地|占用农田|"
        "圈地建|耕地上|挖山|取土|采石|挖砂|不动产中心|产权|房本|办房本|产权登记|过户手续|继承过户|抵押|查封|"
        "确权登记|土地证|宅基地证|土地征收|拆迁补偿标准|征收补偿|地块|出让|规划局|测量|界址|地界|山体滑坡|泥石流|"
        "地面沉降|地质"
    ),
    "YJJ": _phrases(
        "堵塞通道|楼道堆放|楼道里堆|电动车进楼|楼道充电|电瓶车充电|飞线|电线私拉|乱拉电线|着火风险|火灾风险|冒烟|"
        "失火|烧起来|消防设施|消防器材|消火栓|烟感|应急灯|疏散通道|逃生通道|锁死|安全门|液化石油气|气罐|钢瓶|储存|"
        "存放|非法储存|加油站安全|危险品|爆炸物|烟花|燃放|违规动火|电焊|作业安全|工厂安全|安全生产许可|粉尘爆炸|"
        "有毒气体|泄漏|中毒|应急预案|避难场所|防汛抗旱|森林防火"
    ),
}

for _office, _terms in _EVERYDAY.items():
    TERMS[_office] = TERMS[_office] + [t for t in _terms if t not in TERMS[_office]]

# Where the line runs between offices: the dispatch manual's notes on borderline matters.
_BOUNDARIES: dict[str, list[str]] = {
    "CGJ": [
        "商贩用喇叭循环叫卖、店铺门口音响招揽生意扰民，由城管处理。",
        "小区内外私自搭建、楼顶加盖、占用公共空间的违建，由城管查处。",
        "道路上的垃圾、落叶清扫，垃圾桶满溢、垃圾站臭味，由环卫城管处理。",
        "露天烧烤、占道经营的夜市摊点油烟，由城管处理。",
        "Vendors' loudspeakers, shop music used to draw customers, and rooftop extensions go to urban management.",
    ],
    "STHJ": [
        "工厂、车间、作坊排放的废气、噪声、废水和异味，由生态环境局查处。",
        "酒吧、KTV、商场的设备噪声和餐饮油烟超标排放，由生态环境局监测处理。",
        "河道里出现死鱼、河水变色发臭、有人往河里偷排污水，由生态环境局处理。",
        "Noise, smoke or smells from a factory or workshop, and dead fish or dark water in a river, go to ecology.",
    ],
    "ZJJ": [
        "建筑工地夜间施工扰民、工地扬尘和渣土，由住建局处理。",
        "物业公司服务差、物业费纠纷、小区电梯故障和老旧小区加装电梯，由住建局处理。",
        "新房质量问题、开发商延期交房、燃气供应和燃气费，由住建局处理。",
        "Night work on a building site, property management firms, lifts in compounds and gas supply go to housing.",
    ],
    "JTJ": [
        "公交车司机服务、线路站点设置、班次间隔，出租车和网约车拒载绕路，由交通运输局处理。",
        "城市道路路面坑洼破损、桥梁养护、驾校培训收费，由交通运输局处理。",
        "Bus drivers, routes and timetables, taxi and ride-hailing drivers, potholes and driving schools go "
        "to transport.",
    ],
    "JJ": [
        "车辆乱停乱放堵塞道路、路口信号灯故障或配时不合理、交通拥堵，由交警处理。",
        "机动车飙车炸街、酒驾、电动车违法载人、驾驶证和号牌业务，由交警处理。",
        "Parked cars blocking a road, broken or badly timed traffic lights and traffic jams go to the traffic police.",
    ],
    "SCJ": [
        "餐馆饭店食品卫生、吃出异物、超市卖过期食品，由市场监管局处理。",
        "健身房、美容院、培训机构预付卡办卡后关门跑路，商家拒不退款，由市场监管局处理。",
        "商品价格欺诈、虚假宣传、缺斤短两、商品质量和售后纠纷，由市场监管局处理。",
        "Food in restaurants and shops, refunds, prepaid cards after a shop closes and misleading prices go "
        "to market regulation.",
    ],
    "RSJ": [
        "工地、工厂、公司拖欠工人工资，包工头欠薪，由人社局劳动监察处理。",
        "用人单位不签劳动合同、不缴社保、违法辞退，养老金和医保待遇问题，由人社局处理。",
        "Wages owed on a building site or by any employer, contracts, social insurance and pensions go to "
        "human resources.",
    ],
    "JYJ": [
        "孩子入学入园、学位分配、学校乱收费、老师有偿补课和体罚学生，由教育局处理。",
        "校外学科培训机构违规办学、学校周边安全和校车管理，由教育局处理。",
        "School places, fees charged by schools, teachers' conduct and after-school tutoring rules go to education.",
    ],
    "WJW": [
        "医院服务态度、看病排队、医生诊疗行为、医疗收费纠纷，由卫健委处理。",
        "疫苗接种安排、社区卫生服务中心、无证诊所非法行医，由卫健委处理。",
        "Hospitals, doctors and nurses, vaccination appointments and unlicensed clinics go to the health commission.",
    ],
    "SWJ": [
        "小区停水、自来水浑浊发黄、水压低、供水管爆裂，由水务局处理。",
        "下雨后道路积水、雨水井和下水道堵塞、污水冒溢，由水务局处理。",
        "Water cuts, brown tap water, low pressure, burst water mains, flooded streets and blocked sewers go "
        "to water affairs.",
    ],
    "MZJ": [
        "老人养老服务、养老院管理、高龄和低保补贴申请、残疾人补助，由民政局处理。",
        "婚姻登记、社区居委会工作、流浪乞讨人员救助、殡葬服务，由民政局处理。",
        "Care for the elderly, nursing homes, subsidies, disability support, marriage registration and residents' "
        "committees go to civil affairs.",
    ],
    "YLJ": [
        "行道树枝叶遮挡、大风刮断树枝、枯树有倒伏危险、树木修剪，由园林绿化局处理。",
        "公园设施和管理、绿化带被毁、草坪养护、杨柳飞絮，由园林绿化局处理。",
        "Street trees, broken or dead branches, pruning, parks, lawns and green belts go to landscaping.",
    ],
    "ZRZY": [
        "新建楼盘规划是否合规、楼间距和日照遮挡、规划变更公示，由自然资源和规划局处理。",
        "违法占用耕地、宅基地审批、不动产登记和房产证办理，由自然资源和规划局处理。",
        "Planning permits, building distance and sunlight, land use and farmland, and property title registration go "
        "to natural resources and planning.",
    ],
    "YJJ": [
        "楼道堆放杂物堵塞消防通道、电动车楼道充电、私拉电线等火灾隐患，由应急管理局处理。",
        "违规储存液化气罐、危险化学品、烟花爆竹，工厂安全生产隐患，由应急管理局处理。",
        "Blocked fire exits, e-bikes charging in stairwells, stored gas cylinders, chemicals and unsafe "
        "workplaces go to "
        "emergency management.",
    ],
}

for _office, _sentences in _BOUNDARIES.items():
    DUTIES[_office] = DUTIES[_office] + _sentences

# More everyday wording: first for the offices routed least well (ecology, urban management, market
# regulation, emergency management, water affairs, traffic police), written from their duties and
# from how residents usually describe such matters; not from any labelled submission.
_EVERYDAY_MORE: dict[str, list[str]] = {
    "STHJ": _phrases(
        "化工味|烧焦味|橡胶味|臭鸡蛋味|硫磺味|氨水味|农药味|刺激性气味|头晕恶心|排气筒|排放口|暗管|直排|污水直排|"
        "河水变色|河水变红|水变绿|蓝藻|鱼死了|漂着死鱼|白烟|黄烟|浓烟滚滚|烟雾弥漫|雾霾|空气质量|空气很差|环境监测|"
        "环保督察|排污许可|没有环评|环保设施|除尘设备|废气处理|工业废水|印染厂|造纸厂|皮革厂|塑料厂|橡胶厂|制药厂|"
        "水泥厂|砖厂|石材厂|铸造厂|汽修厂喷漆|喷漆房|烤漆房|家具厂|印刷厂|燃煤|烧煤|危险废物|噪声超标|分贝|噪声监测|"
        "空调外机|排风机|冷却塔噪音|发电机噪音|空压机|切割声|金属撞击声|冷库机组|factory fumes|chemical odour|"
        "chemical odor|burning smell|toxic smell|rotten egg|black smoke|thick smoke|air quality|smog|discharge pipe|"
        "dumping wastewater|river turned black|foam on the river|dead fish floating|paint fumes|spray painting|"
        "industrial park|workshop noise|generator noise|compressor|machinery humming|decibel"
    ),
    "CGJ": _phrases(
        "摆地摊|地摊|流动商贩|小商贩|卖菜的|水果摊|占道卖|推着车卖|早点摊|烤串|烤肠|炸串|马路边卖|店门口占道|"
        "商铺占道|门前三包|搭棚子|铁皮房|活动板房|私建围墙|违建举报|垃圾乱堆|垃圾没人收|垃圾箱满了|垃圾桶臭|垃圾车|"
        "大件垃圾|装修垃圾|偷倒|倾倒垃圾|乱丢|烟头|狗粪|卫生死角|脏乱差|环境卫生|清洁工|道路清扫|洒水车|公厕脏|"
        "厕所没人打扫|广告牌松动|招牌掉|霓虹灯|条幅|墙体广告|电线杆上|办证广告|路灯不亮|路灯坏了|street stall|"
        "food cart|pavement stall|night market|illegal shed|rooftop extension|unauthorised extension|"
        "unauthorized extension|rubbish piled|bins overflowing|overflowing bin|garbage truck|dumped rubbish|"
        "fly-tipping|dumped construction waste|dog poo|dog mess|litter everywhere|dirty street|street sweeper|"
        "sign board|banner|street lamp|broken street light"
    ),
    "SCJ": _phrases(
        "吃出头发|吃出虫|菜里有|饭菜|外卖平台|外卖里|肚子疼|上吐下泻|腹泻|呕吐|变质食品|过期产品|临期|假冒伪劣|山寨|"
        "以次充好|质量差|坏了不给修|不给换|退货退款|七天无理由|霸王条款|最低消费|强制消费|捆绑销售|价格欺诈|宰客|"
        "天价|价格虚高|不明码标价|电子秤作弊|少秤|鬼秤|美甲店|游泳馆|瑜伽馆|洗车卡|储值|退卡|商家失联|"
        "food poisoning|stomach ache|diarrhoea|diarrhea|hair in|insect in|mouldy|moldy|sell-by|best-before|"
        "fake goods|defective|faulty|won't refund|refused a refund|refused to refund|won't exchange|price gouging|"
        "overpriced|hidden charges|price tag|shortchanged|rigged scale|top-up card|closed down with|misleading ad"
    ),
    "YJJ": _phrases(
        "消防隐患|防火|灭火器过期|没有灭火器|消防设施损坏|消防通道被占|堵住消防通道|消防车进不去|防火门|安全通道|"
        "电动车在楼道充电|电瓶车上楼|电动车进电梯|电线老化|私拉乱接|违规用电|员工宿舍|三合一|住人仓库|仓库住人|"
        "存放汽油|散装汽油|油桶|液化气站|瓶装气|燃气瓶|非法销售烟花|化工原料|油漆仓库|易燃物|堆放易燃|纸箱堆放|"
        "安全检查|安全培训|安全帽|高空作业|生产事故|爆炸声|山火|野外用火|应急演练|fire safety|blocked fire lane|"
        "fire door|extinguishers|sprinkler|smoke detector|e-bike charging|charging in the hallway|batteries charging|"
        "overloaded socket|dangerous wiring|stored petrol|gas canister|propane|illegal fireworks|chemical drums|"
        "unsafe working|safety equipment|no helmets|workplace accident|explosion risk|evacuation route|"
        "emergency drill"
    ),
    "SWJ": _phrases(
        "停水了|又停水|没水用|无水|水停了|突然停水|停水没通知|水很小|水压太低|出水小|水是黄的|水浑|有沙子|消毒水味|"
        "水管爆了|爆裂|管子破了|地下水管|路上冒水|水往外冒|哗哗流|浪费水|下水道返味|下水道臭|污水外溢|污水漫|"
        "排水管堵|雨水排不出去|积水严重|一下雨就积水|路面积水|涵洞|下穿|地道桥|雨篦子|污水井|排水井|排污管网|"
        "雨污分流|堤坝|防洪堤|水费单|水表坏|抄表不准|no water since|water has been cut|water stopped|"
        "low water pressure|water is brown|discoloured water|discolored water|cloudy water|water tastes|"
        "burst main|water gushing|sewage overflowing|smelly drain|drain is blocked|blocked drains|"
        "manhole overflowing|flooded after|underpass|knee-deep|waterlogged|meter reading"
    ),
    "JJ": _phrases(
        "车停在|停车堵|堵住车库|占用盲道停车|路口堵|高峰期堵|加塞|乱变道|压线|不让行|斑马线不让|电动车闯红灯|"
        "逆行的电动车|外卖电动车|快递三轮|载人|没戴头盔|无牌车|套牌|假牌|改装排气|深夜飙车|红绿灯时间|左转灯|"
        "信号灯配时|掉头口|违法停车抓拍|交通标线|交通指示牌|违章处理|罚款|驾照年审|换证|交通事故处理|事故责任|"
        "parked on the pavement|parked on the sidewalk|bike lane|blocking the driveway|blocking the entrance|"
        "double-parked|yellow line|towed|running red lights|ran a red|wrong way|no helmet|unlicensed vehicle|"
        "fake plates|modified exhaust|street racing|light timing|left-turn|rush hour|lane markings|speed camera|"
        "penalty points"
    ),
    "ZJJ": _phrases(
        "物业服务|物业收费|物业乱收费|物业不修|业主群|业主大会|小区大门|小区门禁|小区停车费|公共收益|电梯维保|电梯年检|"
        "电梯经常坏|电梯关人|二次供水箱|楼顶防水|外墙渗水|墙面开裂|地面开裂|房屋下沉|质量投诉|验房|收房|延期交付|"
        "精装缩水|开发商承诺|购房合同|首付|按揭|维修资金|老小区|旧改|管道燃气|燃气开通|燃气检修|燃气涨价|暖气费|"
        "供热不达标|房子不暖|工地围挡|工地灯光|工地夜里|工地早上|施工时间|渣土运输|水泥罐车|装修扰民|住房保障|"
        "公租房申请|人才公寓|租房合同|长租公寓|building site|construction noise|night-time construction|"
        "pile driver|property manager|management company|service charge|homeowners' committee|lift broken|"
        "lift out of order|old compound|new flat|handover|developer promised|cracks in the wall|damp walls|"
        "gas company|gas connection|heating is off|radiators cold|public housing|tenant|deposit"
    ),
    "JTJ": _phrases(
        "公交司机|公交车司机|公交公司|公交不准点|公交晚点|公交太挤|加密班次|线路取消|站点撤销|新开线路|定制公交|"
        "地铁太挤|地铁故障|地铁延误|地铁安检|出租车司机|出租车拒载|网约车司机|网约车平台|多收钱|乱收费的司机|"
        "计价器|驾校退费|驾校乱收费|驾校教练|学车难|约车难|约考|道路坑|马路坑|路面开裂|路面下沉|路基|人行道破损|"
        "桥梁裂缝|护栏损坏|公路养护|bus driver|bus company|bus was late|bus never came|overcrowded bus|"
        "bus service|route cancelled|new bus route|metro delay|metro breakdown|taxi refused|ride-hailing driver|"
        "overcharged by the driver|meter|driving test|instructor|road is broken|cracked road|damaged pavement|"
        "guardrail|sinking road"
    ),
    "MZJ": _phrases(
        "老年人补贴|老人补贴|养老补助|老年卡|助餐点|社区食堂|上门服务|居家照护|照护|养老服务站|适老化改造|"
        "低保申请|低保审核|低保取消|困难补助|救助申请|大病救助|残疾补贴|残疾人两项补贴|重度残疾|护理补贴|婚姻登记处|"
        "补办结婚证|离婚登记|居委会不作为|居委会主任|社区书记|社区服务中心|社区活动室|流浪汉|乞讨人员|殡仪服务|"
        "丧葬补贴|骨灰存放|收养登记|儿童救助|elderly neighbour|old man|old woman|pensioner living alone|"
        "meals for the elderly|home care|carer|care for my mother|care for my father|low-income family|"
        "hardship|welfare|benefit|disabled person|disability allowance|residents' committee|community centre|"
        "community center|homeless man|beggar|funeral|adoption"
    ),
    "JYJ": _phrases(
        "孩子学校|学校通知|学校要求|学校强制|学校收取|班费|课本费|校服费|补课费|学校补课|老师补课|老师收礼|老师辱骂|"
        "老师体罚|老师态度|班主任态度|校长|学校管理|学校安全|学校周边|放学接|延时服务|午托|午休|课外辅导|"
        "培训学校|培训班退费|学科培训|艺术培训|招生政策|入学申请|入学材料|转学手续|学位申请|幼升小|小升初|中考政策|"
        "my son's school|my daughter's school|our child's school|the school|headteacher|head teacher|principal|"
        "class teacher|school fees|extra classes|tutoring centre|cram school|school place|admission|bullying|"
        "school lunch|school canteen|homework load"
    ),
    "WJW": _phrases(
        "医院门诊|医院急诊|住院部|医生不负责|医生态度|护士态度|医护人员|看病贵|检查太多|多收费用|医疗收费|乱收费医院|"
        "挂不上号|号源|预约挂号|候诊时间|病历复印|出院结算|病人家属|手术失败|误诊漏诊|诊所无证|无证诊所|私人诊所|"
        "社区诊所|打疫苗|接种点|接种预约|新生儿|产科|儿童保健|体检中心|健康证办理|卫生监督所|the hospital|"
        "hospital staff|the doctor|a nurse|the clinic|A&E|emergency department|waiting for hours|misdiagnosed|"
        "medical bill|medical records|unlicensed clinic|vaccine appointment|vaccination centre|maternity"
    ),
    "RSJ": _phrases(
        "拖欠工资|工资没发|工资不发|工资拖了|工资少发|扣工资|绩效工资|年终奖|加班不给钱|加班费不给|劳务派遣|临时工|"
        "外包公司|用人单位|单位不交社保|没交社保|社保断了|社保转移|医保报销|医保缴费|养老金领取|退休年龄|"
        "退休审批|辞退补偿|被开除|劳动纠纷|劳动监察|仲裁委|招聘骗局|求职被骗|技能补贴|失业登记|就业服务|"
        "my boss|our boss|the company owes|not been paid|hasn't paid|haven't been paid|owes us|owes me|"
        "back wages|employment contract|sacked|laid off|severance|social security|pension payment|"
        "medical insurance reimbursement|job centre|job fair|work permit"
    ),
    "YLJ": _phrases(
        "树枝|树杈|树冠|树干|树倒|大树倒|歪脖子树|树挡|树遮|修树|剪树|砍了树|乱砍|毁树|树死了|枯死|虫子多|"
        "打农药|绿化带|绿化带被|绿地被|草坪被|公园管理|公园设施|公园大门|公园开放时间|公园卫生|公园里的|"
        "湖边公园|绿道|健身步道|花木|苗圃|古树|树木倾斜|tree fell|fallen tree|tree branch|overhanging branch|"
        "tree blocking|leaning tree|dead tree|tree cutting|cut down trees|trees cut|park gate|park opening|"
        "in the park|park facilities|green space|grass verge|flower beds|poplar fluff|willow fluff"
    ),
    "ZRZY": _phrases(
        "规划审批|规划许可证|规划公示|规划不合理|规划变了|改变用途|用地规划|占用耕地|非法占地|土地审批|土地纠纷|"
        "宅基地纠纷|宅基地审批|不动产证|房产证办不下来|办不了房产证|产权证书|登记中心|过户登记|抵押注销|"
        "日照不足|挡住阳光|楼距太近|采光不足|违法采砂|采矿|挖土|取土|山体|地质灾害隐患|title certificate|"
        "property deed|ownership papers|land dispute|land grab|farmland|rural homestead|planning approval|"
        "planning application|change of use|block our sunlight|blocks our light|too close to our building|"
        "sand dredging|quarry|landslide"
    ),
}

for _office, _terms in _EVERYDAY_MORE.items():
    TERMS[_office] = TERMS[_office] + [t for t in _terms if t not in TERMS[_office]]
