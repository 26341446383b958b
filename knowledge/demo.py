"""The demo city's knowledge base: answers a 12345 line in a Chinese city keeps for the questions it hears most.

Written from the usual public-service guidance of each office (where to go, what to bring, how long it
takes), not from any labelled submissions. Dates are relative to the day the demo is seeded; one article
has expired, so its department sees the flag. ``seed_articles`` is idempotent (keyed by slug).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

# slug, department, category, title, keywords, body
ARTICLES: list[tuple[str, str, str | None, str, str, str]] = [
    # 交通运输局
    (
        "jtj-metro-hours",
        "JTJ",
        "transport.bus",
        "地铁运营时间及末班车",
        "地铁 末班车 首班车 运营时间 节假日 延时 metro subway last train hours",
        "清河地铁各线路首班车一般为6:00左右，末班车为22:30至23:00（以各站公示为准）。节假日及大型活动期间如需延长运营，会提前在“清河地铁”公众号和车站公告。各站首末班时刻可在地铁App“车站信息”中查询。",
    ),
    (
        "jtj-bus-last",
        "JTJ",
        "transport.bus",
        "公交线路首末班时间查询",
        "公交 末班车 首班车 线路 路 几点 bus route last bus timetable",
        "各公交线路首末班时间以站牌公示为准，也可通过“清河公交”App或微信小程序实时查询车辆到站。夜间线路以“N”开头。线路临时调整会在站台及App发布公告。",
    ),
    (
        "jtj-metro-pay",
        "JTJ",
        "transport.bus",
        "乘坐地铁的支付方式",
        "地铁 支付 乘车码 交通卡 银行卡 外国人 护照 metro payment card foreign credit card ticket",
        "乘坐清河地铁可使用：车站自动售票机购买单程票（支持现金和移动支付）、清河交通卡、手机乘车码。境外人士可在主要站点的客服中心用现金或外卡购票，部分闸机支持带“闪付”标识的境外信用卡直接刷卡进站。",
    ),
    (
        "jtj-senior-card",
        "JTJ",
        "transport.bus",
        "老年人乘车卡办理",
        "老年卡 老人 免费乘车 敬老卡 65岁 公交卡 外地户籍 senior bus pass elderly",
        "年满65周岁的老年人凭身份证到公交集团各营业网点办理老年人免费乘车卡，60至64周岁可享受半价优惠。非本市户籍老人持清河居住证满半年的同样可以办理。办卡需近期一寸照片一张，当场可取。",
    ),
    (
        "jtj-ride-hailing",
        "JTJ",
        "transport.taxi",
        "从事网约车需要办理的证件",
        "网约车 营运 驾驶员证 运输证 私家车 车龄 ride-hailing driver licence permit",
        "从事网约车经营须取得《网络预约出租汽车驾驶员证》和车辆《网络预约出租汽车运输证》。驾驶员需取得驾照满3年、无重大交通事故记录并通过考试；车辆须为7座及以下、车龄不超过6年，并将使用性质登记为“预约出租客运”。申请到交通运输局政务服务窗口办理。",
    ),
    (
        "jtj-driving-school",
        "JTJ",
        "transport.road",
        "驾校培训退费与投诉",
        "驾校 退费 学车 教练 driving school refund",
        "学员与驾校因退费发生纠纷，先按培训合同约定协商；协商不成可向交通运输局驾培管理科投诉，或向消费者协会申请调解。驾校不得在合同外另收费用。",
    ),
    # 公安局交通警察支队
    (
        "jj-points",
        "JJ",
        "traffic.parking",
        "驾驶证记满12分后的处理",
        "记分 12分 扣分 满分 学习 考试 驾照 驾驶证 driving licence points",
        "一个记分周期内累积记满12分的，驾驶证被暂扣，须到车管所参加为期7天的道路交通安全法律法规学习，学习后参加科目一考试，合格后结束学习并恢复驾驶资格。可通过“交管12123”App预约学习和考试。",
    ),
    (
        "jj-foreign-licence",
        "JJ",
        "traffic.parking",
        "境外驾照换领中国驾驶证",
        "境外 驾照 外国 换证 居留 foreign driving licence convert chinese license residence permit",
        "持有有效境外驾驶证、并持有效居留证件的外籍人士，可向车管所申请换领中国驾驶证：提交护照及居留许可、境外驾照及其中文翻译件、身体条件证明，通过科目一理论考试（可选英文）后即可换证。",
    ),
    (
        "jj-ebike-plate",
        "JJ",
        "traffic.parking",
        "电动自行车登记上牌",
        "电动车 电动自行车 上牌 牌照 登记 发票 合格证 e-bike plate registration",
        "新购电动自行车须在购车后30日内登记上牌。车主持身份证、购车发票、产品合格证到就近的电动自行车登记点办理，当场发牌。发票遗失的，可由销售商出具购车证明或到销售商补开发票后办理。",
    ),
    (
        "jj-accident-report",
        "JJ",
        "traffic.signals",
        "交通事故认定书的出具时间",
        "事故 认定书 责任 交警 理赔 保险 追尾 accident report liability",
        "交警部门应在现场调查之日起10日内制作道路交通事故认定书；需要检验、鉴定的，在结果确定之日起5日内制作。适用简易程序的事故当场出具。逾期未收到的，可携带身份证和事故编号到事故处理大队查询。",
    ),
    (
        "jj-motorcycle",
        "JJ",
        "traffic.parking",
        "市区摩托车限行规定",
        "摩托车 禁摩 限行 通行证 快递 motorcycle ban restricted",
        "为保障交通安全，清河市区二环以内全天禁止摩托车通行，外地号牌摩托车同样适用。从事快递、外卖配送的，应使用符合国家标准并已登记上牌的电动自行车。执行公务等特殊车辆需提前向交警支队申请。",
    ),
    (
        "jj-parking-fine",
        "JJ",
        "traffic.parking",
        "违停罚单的查询和缴纳",
        "违停 罚单 贴条 罚款 缴纳 parking ticket fine",
        "违章停车罚单可通过“交管12123”App查询和缴纳，也可到银行网点缴纳，逾期每日加收3%的滞纳金。对处罚有异议的，可在60日内申请行政复议。",
    ),
    # 民政局
    (
        "mzj-marriage-cert",
        "MZJ",
        "civil.subsidies",
        "结婚证遗失补领",
        "结婚证 丢失 遗失 补办 补领 婚姻登记 marriage certificate lost replace",
        "结婚证遗失的，当事人持本人身份证、户口簿及近期2寸半身免冠合影照片3张，到原婚姻登记机关或一方户籍所在地婚姻登记处申请补领，当天可办结。补领不收费。",
    ),
    (
        "mzj-divorce-cooling",
        "MZJ",
        "civil.subsidies",
        "协议离婚冷静期的计算",
        "离婚 冷静期 协议离婚 30日 撤回 divorce cooling-off period",
        "协议离婚须双方共同到婚姻登记处提出申请。自登记机关收到申请之日起30日内为冷静期，任何一方不愿离婚的，可在此期间撤回申请。冷静期届满后30日内，双方须亲自到场申请发给离婚证，未申请的视为撤回。",
    ),
    (
        "mzj-foreign-marriage",
        "MZJ",
        "civil.subsidies",
        "涉外婚姻登记",
        "涉外 外国人 结婚登记 护照 单身证明 foreigner marriage registration foreign citizen",
        "中国公民与外国人在中国结婚，须双方共同到中国公民户籍所在地的涉外婚姻登记机关办理。外方须提交护照，以及经本国公证、外交部门认证或加注“海牙认证”的无配偶证明及中文译本。",
    ),
    (
        "mzj-old-age-allowance",
        "MZJ",
        "civil.elderly",
        "高龄津贴的申领",
        "高龄津贴 80岁 老人补贴 长寿 申请 elderly allowance",
        "本市户籍年满80周岁的老年人可申领高龄津贴：80至89周岁每月100元，90至99周岁每月300元，百岁以上每月600元。首次申领由本人或家属持身份证、户口簿到社区或乡镇（街道）民政窗口申请，审核后按月发放至社保卡。",
    ),
    (
        "mzj-disability-subsidy",
        "MZJ",
        "civil.subsidies",
        "残疾人两项补贴",
        "残疾人 生活补贴 护理补贴 两项补贴 disability subsidy",
        "困难残疾人生活补贴每人每月120元，适用于低保家庭中的残疾人；重度残疾人护理补贴每人每月100元，适用于残疾等级为一、二级的残疾人。符合条件的可同时享受两项补贴，持残疾证到乡镇（街道）申请。",
    ),
    (
        "mzj-funeral",
        "MZJ",
        "civil.subsidies",
        "基本殡葬服务费用减免",
        "殡葬 丧葬 火化 减免 殡仪馆 去世 funeral cost",
        "本市户籍居民去世后，遗体接运、存放、火化和骨灰寄存等基本殡葬服务费用予以减免，由殡仪馆在结算时直接减免，家属无需另行申请，凭逝者身份证和死亡证明办理。",
    ),
    (
        "mzj-care-homes",
        "MZJ",
        "civil.elderly",
        "养老机构的查询与入住",
        "养老院 养老机构 失能 认知症 护理 入住 care home nursing home elderly dementia",
        "全市备案的养老机构名单、床位和收费标准可在民政局网站“养老服务地图”查询。失能、认知症老人可优先选择设有护理型床位的机构。入住前机构会进行能力评估，签订服务合同。",
    ),
    (
        "mzj-dibao",
        "MZJ",
        "civil.subsidies",
        "最低生活保障的申请",
        "低保 最低生活保障 困难家庭 救助 minimum living allowance",
        "家庭人均收入低于本市低保标准且财产符合规定的，可由户主向户籍所在地乡镇（街道）提出低保申请，提交身份证、户口簿、收入证明等材料，经入户调查、公示后审批。",
    ),
    # 人社局
    (
        "rsj-unemployment",
        "RSJ",
        "labour.insurance",
        "失业保险金的申领",
        "失业金 失业保险 辞职 离职 领取 条件 unemployment insurance benefit resign",
        "领取失业保险金须同时满足：失业前用人单位和本人已缴纳失业保险满1年；非因本人意愿中断就业（主动辞职一般不符合）；已办理失业登记并有求职要求。符合条件的可通过“清河人社”App或社保经办窗口申领。",
    ),
    (
        "rsj-flexible",
        "RSJ",
        "labour.insurance",
        "灵活就业人员参加社保",
        "灵活就业 个体 自由职业 社保 养老 医保 缴费 基数 flexible employment self-employed pension",
        "无雇工的个体工商户和灵活就业人员可以个人身份参加职工养老保险和职工医保，持身份证到社保经办窗口或线上登记。缴费基数可在当地上年度社平工资的60%至300%之间自选，按月或按年缴纳。",
    ),
    (
        "rsj-pension-transfer",
        "RSJ",
        "labour.insurance",
        "养老保险关系跨省转移",
        "养老保险 跨省 转移 转入 转出 外地 pension transfer province",
        "跨省流动就业的，无需回原参保地办理。在新参保地参保缴费后，可通过国家社会保险公共服务平台、“掌上12333”或新参保地社保窗口申请转入，转出地和转入地经办机构之间办理转移手续，一般在45个工作日内办结。",
    ),
    (
        "rsj-medical-card",
        "RSJ",
        "labour.insurance",
        "社保卡与医保电子凭证的办理",
        "社保卡 医保卡 医保电子凭证 领取 新入职 social security card medical insurance card",
        "单位为职工参保后，职工可持身份证到合作银行网点申领社会保障卡，或在“清河人社”App申请邮寄。医保电子凭证可在微信、支付宝或国家医保服务平台App激活，看病购药时可替代实体卡。",
    ),
    (
        "rsj-skill-subsidy",
        "RSJ",
        "labour.wages",
        "职业技能提升补贴",
        "技能补贴 职业资格证书 电工证 技能等级 培训补贴 skills subsidy certificate",
        "参加失业保险满1年、取得职业资格证书或职业技能等级证书的职工，可在发证之日起12个月内申请技能提升补贴，初级1000元、中级1500元、高级2000元。通过“清河人社”App提交证书信息即可申请。",
    ),
    (
        "rsj-retired-rehire",
        "RSJ",
        "labour.wages",
        "退休人员返聘的用工关系",
        "退休 返聘 劳务协议 劳动合同 社保 retire rehire",
        "已依法享受养老保险待遇的退休人员与单位形成的是劳务关系，应签订劳务协议，明确工作内容、报酬和休息休假等，单位无需再为其缴纳养老保险，但可为其购买工伤或意外保险。",
    ),
    (
        "rsj-social-gap",
        "RSJ",
        "labour.insurance",
        "社保断缴的影响",
        "社保 断缴 中断 补缴 辞职 影响 social insurance gap",
        "社保断缴后，养老保险累计缴费年限不受影响，续缴后合并计算；职工医保中断超过3个月的，重新参保后有6个月等待期。断缴期间无法补缴的，建议尽快以灵活就业身份续保。",
    ),
    (
        "rsj-wage-arrears",
        "RSJ",
        "labour.wages",
        "被拖欠工资怎么办",
        "欠薪 拖欠工资 讨薪 劳动监察 仲裁 unpaid wages arrears",
        "被拖欠工资的，可携带身份证、劳动合同或工资条、考勤记录等证据向劳动保障监察大队投诉，或向劳动人事争议仲裁委员会申请仲裁。建设工程领域欠薪可直接拨打12345或向项目所在地人社部门举报。",
    ),
    # 教育局
    (
        "jyj-junior-enrolment",
        "JYJ",
        "education.enrolment",
        "小学升初中报名时间",
        "小升初 初中 入学 报名 招生 划片 派位 enrolment junior middle school",
        "每年5月中旬至6月上旬为小升初报名时间，公办初中按学区划片入学，民办初中报名超额的实行电脑随机录取。具体日程以教育局当年发布的义务教育招生工作方案为准，报名通过“清河入学”平台进行。",
    ),
    (
        "jyj-private-fees",
        "JYJ",
        "education.enrolment",
        "民办学校收费标准",
        "民办学校 学费 收费 住宿费 上限 private school tuition fees",
        "民办学校学费实行市场调节价，学校须在招生简章中公示收费项目和标准并向教育、价格部门备案，不得在公示外收费，一学期收费不得跨学期预收。发现违规收费可向教育局或市场监管局举报。",
    ),
    (
        "jyj-foreign-children",
        "JYJ",
        "education.enrolment",
        "外籍子女入学",
        "外籍 外国 子女 入学 国际学校 国际课程 public school foreign children international school",
        "在清河居住的外籍人员子女可申请就读公办中小学，持护照、居留许可和住址证明向居住地所在区教育局申请，由教育局统筹安排学位。全市另有2所国际学校和3所开设国际课程的民办学校，名单可在教育局网站查询。",
    ),
    (
        "jyj-special-education",
        "JYJ",
        "education.enrolment",
        "残疾儿童随班就读",
        "随班就读 残疾儿童 自闭症 特殊教育 资源教师 special education inclusion",
        "适龄残疾儿童少年可申请在普通学校随班就读。家长向学区学校提出申请，由区残疾人教育专家委员会评估后安置；学校应配备资源教室或资源教师提供支持，不得以无条件为由拒收符合随班就读条件的学生。",
    ),
    (
        "jyj-training",
        "JYJ",
        "education.training",
        "校外培训机构退费",
        "校外培训 补课 培训班 退费 预收费 training centre refund",
        "校外培训机构预收费不得超过3个月或60课时，须纳入资金监管。机构停业或拒不退费的，可向教育局投诉，也可通过市场监管部门或法律途径解决。",
    ),
    # 卫健委
    (
        "wjw-birth-cert",
        "WJW",
        "health.hospitals",
        "出生医学证明补办",
        "出生证明 出生医学证明 遗失 补发 丢失 birth certificate",
        "《出生医学证明》遗失的，由父母双方持身份证、户口簿、子女身份证明及遗失声明，向出生时的助产机构所在地区卫健局指定的签发机构申请补发，需要进行亲子关系核实，一般15个工作日办结。",
    ),
    (
        "wjw-hpv",
        "WJW",
        "health.vaccination",
        "HPV疫苗接种预约",
        "HPV 宫颈癌 疫苗 九价 预约 接种 年龄 vaccine",
        "九价HPV疫苗适用于9至45岁女性，可通过“健康清河”小程序预约辖区社区卫生服务中心的接种门诊，按到苗情况排队通知。二价、四价疫苗一般无需长时间排队。",
    ),
    (
        "wjw-imported-vaccine",
        "WJW",
        "health.vaccination",
        "儿童非免疫规划疫苗",
        "自费疫苗 进口疫苗 13价 肺炎 非免疫规划 价格 imported vaccine pneumococcal",
        "13价肺炎球菌结合疫苗等非免疫规划疫苗（自费疫苗）由家长自愿、自费接种，各社区接种门诊均可预约，价格按省级平台采购价执行并在门诊公示，不得另加服务费以外的费用。",
    ),
    (
        "wjw-family-doctor",
        "WJW",
        "health.hospitals",
        "家庭医生签约服务",
        "家庭医生 签约 慢病 高血压 糖尿病 老人 family doctor",
        "居民可到居住地社区卫生服务中心或通过“健康清河”小程序签约家庭医生，基础服务包免费。签约后可获得健康评估、慢病随访、优先转诊和长处方等服务，65岁以上老人和高血压、糖尿病患者优先签约。",
    ),
    (
        "wjw-mental-health",
        "WJW",
        "health.hospitals",
        "心理门诊与精神科就诊",
        "心理 精神科 失眠 焦虑 抑郁 心理咨询 隐私 mental health psychiatry",
        "市第三人民医院设有精神科和心理门诊，市人民医院等综合医院开设睡眠和心理门诊，可通过医院公众号预约挂号。就诊信息受法律保护，医疗机构不得泄露患者隐私，普通就诊记录不会提供给工作单位。",
    ),
    # 自然资源和规划局（不动产登记）
    (
        "zrzy-new-house-cert",
        "ZRZY",
        "planning.registration",
        "新建商品房办理不动产权证的时限",
        "房产证 不动产证 新房 交房 办证 多久 期限 开发商 property certificate new flat",
        "新建商品房交付使用后，开发企业应在90日内为买受人办理首次登记后的转移登记资料准备，买受人即可申请办理不动产权证书，登记机构受理后5个工作日内办结。开发商逾期未办的，可向住建和不动产登记部门反映。",
    ),
    (
        "zrzy-mortgage-release",
        "ZRZY",
        "planning.registration",
        "房贷还清后办理抵押注销",
        "抵押注销 房贷 还清 结清证明 不动产 mortgage release",
        "房贷还清后须办理抵押权注销登记。多数银行已开通“线上注销”，由银行直接向不动产登记中心申请，当日办结；也可由产权人和银行共同持结清证明、不动产权证书到登记中心窗口办理。",
    ),
    (
        "zrzy-add-spouse",
        "ZRZY",
        "planning.registration",
        "不动产权证书增加配偶姓名",
        "房产证 加名 配偶 夫妻 婚后 不动产 更名 税费 add spouse name",
        "婚后在房产证上增加配偶姓名，属于夫妻间房屋权属变更，免征契税，只收取登记费和证书工本费。双方须持身份证、结婚证、原不动产权证书共同到不动产登记中心申请，也可一方持公证委托书代办。",
    ),
    (
        "zrzy-homestead",
        "ZRZY",
        "planning.land",
        "农村宅基地翻建审批",
        "宅基地 翻建 建房 农村 乡村建设规划许可 审批 rural homestead rebuild",
        "农村村民在原宅基地上拆除重建住宅，须向村集体经济组织提出申请，经村民会议讨论同意后报乡镇政府审核，办理乡村建设规划许可证后方可施工，层数一般不超过三层。",
    ),
    (
        "zrzy-planning-notice",
        "ZRZY",
        "planning.land",
        "建设项目规划公示的查询",
        "规划 公示 建设项目 规划许可 批前公示 planning notice",
        "建设项目的规划设计方案批前公示和规划许可批后公布，均在自然资源和规划局网站“规划公示”栏目发布，同时在项目现场张贴。公示期内可通过网站留言或书面提出意见。",
    ),
    (
        "zrzy-foreign-buy",
        "ZRZY",
        "planning.registration",
        "境外人士在清河购房",
        "外国人 境外 购房 买房 外籍 foreigner buy property apartment",
        "在清河工作、学习满一年的境外个人，可购买一套自住商品住房。办理不动产登记时须提交护照、居留许可、工作或学习证明，以及自住承诺书。",
    ),
    # 住建局
    (
        "zjj-rental-filing",
        "ZJJ",
        "housing.property",
        "房屋租赁合同登记备案",
        "租房 租赁合同 备案 网签 居住证 入学 rental contract registration",
        "房屋租赁合同可通过“清河住房租赁”平台网签备案，也可由出租人和承租人持身份证、房产证明和合同到街道房屋租赁服务站办理。备案证明可用于办理居住证和子女入学。出租人不配合的，承租人可凭合同单方申请。",
    ),
    (
        "zjj-public-rental",
        "ZJJ",
        "housing.property",
        "公共租赁住房申请条件",
        "公租房 保障房 外地户口 申请 条件 社保 public rental housing",
        "非本市户籍人员在清河连续缴纳社保满2年、本人及家庭在本市无自有住房的，可申请公共租赁住房。申请人通过“清河住房保障”平台提交身份证、社保缴纳证明和无房承诺，社保中断累计不超过3个月的不影响申请。",
    ),
    (
        "zjj-property-fee",
        "ZJJ",
        "housing.property",
        "物业服务收费争议",
        "物业费 物业 收费 服务 业主委员会 property management fee",
        "物业服务收费按合同约定执行，普通住宅前期物业服务费实行政府指导价。对收费或服务质量有异议的，可向街道物业管理办公室或住建局物业管理科反映，也可通过业主大会依法更换物业企业。",
    ),
    (
        "zjj-site-hours",
        "ZJJ",
        "housing.site",
        "建筑工地夜间施工规定",
        "工地 夜间施工 噪音 许可 construction night work",
        "建筑工地22:00至次日6:00禁止产生噪声的施工作业，因工艺需要连续施工的须取得夜间施工许可并提前公告。未经许可夜间施工的，可向住建局建筑市场监管科投诉。",
    ),
    # 生态环境局
    (
        "sthj-noise-standard",
        "STHJ",
        "environment.noise",
        "居民区噪声排放标准",
        "噪声 噪音 分贝 夜间 标准 超标 居民区 noise decibel limit",
        "居住区（1类声环境功能区）环境噪声限值为昼间55分贝、夜间45分贝；工业企业厂界噪声按其所在功能区执行相应标准。手机测量结果仅供参考，执法以具备资质的监测机构数据为准，可拨打12345申请现场监测。",
    ),
    (
        "sthj-5g-radiation",
        "STHJ",
        "environment.air",
        "通信基站电磁辐射",
        "基站 5G 辐射 电磁 检测 移动通信 radiation base station",
        "通信基站建设前须进行环境影响登记备案，其电磁辐射须符合《电磁环境控制限值》。对周边电磁环境有疑虑的，可向生态环境局申请监测，监测数据会向居民公开。",
    ),
    (
        "sthj-air-data",
        "STHJ",
        "environment.air",
        "空气质量实时数据查询",
        "空气质量 AQI PM2.5 实时 监测 数据 air quality data hourly",
        "全市各区国控、省控空气质量监测站点的逐小时数据，可在生态环境局网站“空气质量实时发布”栏目和“清河环境”App查询，提供中英文界面。",
    ),
    (
        "sthj-well-water",
        "STHJ",
        "environment.water",
        "农村井水水质检测",
        "井水 地下水 水质 检测 异味 污染 well water testing",
        "怀疑井水受到污染的，可向生态环境局或乡镇政府反映，生态环境部门将组织采样监测并排查周边污染源；饮用水安全检测也可到疾控中心申请。检测结果出来前建议暂停饮用。",
    ),
    # 水务局
    (
        "swj-tiered-price",
        "SWJ",
        "water.supply",
        "居民阶梯水价",
        "阶梯水价 水费 水价 第一档 人口 用水量 water price tier",
        "居民生活用水实行阶梯水价，年用水量180立方米以内为第一档，181至260立方米为第二档，260立方米以上为第三档。户籍人口5人及以上的家庭，可持户口簿到供水营业厅申请每增加1人第一档增加30立方米。",
    ),
    (
        "swj-tap-water",
        "SWJ",
        "water.supply",
        "自来水水质是否安全",
        "自来水 水质 饮用 检测 报告 tap water safe drink quality",
        "清河公共供水水质符合《生活饮用水卫生标准》，供水企业每月在官网公布出厂水和管网水检测结果（含英文摘要）。建议煮沸后饮用；如发现水质异常，可拨打供水服务热线安排检测。",
    ),
    (
        "swj-sewer-connect",
        "SWJ",
        "water.drainage",
        "新建小区污水接入市政管网",
        "污水 管网 接入 排水 新小区 市政 sewage connection",
        "新建住宅小区的污水管网由开发建设单位配套建设，竣工验收前须办理排水许可并接入市政污水管网。交付后仍未接入的，可向水务局排水管理处反映，水务局将督促建设单位限期整改。",
    ),
    (
        "swj-outage",
        "SWJ",
        "water.supply",
        "计划停水信息查询",
        "停水 计划停水 通知 供水 water outage",
        "计划停水会提前24小时在供水企业官网、公众号和小区公告栏发布。突发停水可拨打供水服务热线查询抢修进度。",
    ),
    # 城管局
    (
        "cgj-vendor-zones",
        "CGJ",
        "city.vendors",
        "便民摊点的申请和设置",
        "摆摊 摊点 夜市 便民 申请 区域 流动摊贩 street stall vendor permit",
        "清河在部分街区设置了便民摊点和夜市，摊位由所在街道统一登记分配，需提供身份证并承诺遵守经营时间和卫生要求。不得占用盲道、消防通道，不得使用明火和高音喇叭。具体点位可在城管局公众号查询。",
    ),
    (
        "cgj-bulky-waste",
        "CGJ",
        "city.garbage",
        "大件垃圾的投放",
        "大件垃圾 旧家具 沙发 床垫 预约 清运 bulky waste sofa mattress furniture disposal",
        "废旧家具、床垫等大件垃圾应投放到小区指定的大件垃圾堆放点，或通过“清河分类”小程序预约上门清运，按件收取清运费。不得随意堆放在楼道或路边。",
    ),
    (
        "cgj-garbage-sorting",
        "CGJ",
        "city.garbage",
        "生活垃圾分类指南",
        "垃圾分类 厨余 可回收 有害垃圾 分类 garbage sorting",
        "生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类。厨余垃圾需去除包装后投放，废电池、灯管、过期药品属于有害垃圾。具体分类可在“清河分类”小程序查询。",
    ),
    (
        "cgj-flyers",
        "CGJ",
        "city.ads",
        "散发小广告的处理",
        "小广告 传单 牛皮癣 乱贴 发卡片 leaflet flyer",
        "在道路、车站等公共场所散发、张贴小广告属于违反市容管理规定的行为，城管部门可依法处罚并责令清除。发现后可拨打12345举报，说明具体地点和时间段。",
    ),
    # 园林绿化局
    (
        "ylj-tree-pruning",
        "YLJ",
        "greening.trees",
        "影响采光的树木修剪申请",
        "树木 修剪 砍伐 移植 采光 遮挡 审批 tree pruning removal",
        "小区内树木影响采光、安全的，由物业或业主委员会向园林绿化局提出修剪申请；需要砍伐或移植的，须办理树木砍伐（移植）许可，园林部门现场勘查后作出决定。居民不得自行砍伐。",
    ),
    (
        "ylj-dogs-parks",
        "YLJ",
        "greening.parks",
        "公园携犬入园规定",
        "宠物 狗 犬 遛狗 公园 入园 dogs parks pets allowed",
        "清河市属公园目前禁止携犬入园（导盲犬、扶助犬除外）；部分区属公园设有宠物友好区，入园须拴绳并及时清理粪便。具体以各公园入口公示为准。",
    ),
    (
        "ylj-park-hours",
        "YLJ",
        "greening.parks",
        "公园开放时间",
        "公园 开放时间 门票 park opening hours",
        "市属公园免费开放，夏季（5至10月）开放时间为5:30至22:00，冬季为6:00至21:00。节假日如有调整会在园林绿化局网站公告。",
    ),
    # 应急管理局
    (
        "yjj-smoke-alarm",
        "YJJ",
        "safety.fire",
        "住宅烟雾报警器的配置",
        "烟感 烟雾报警器 火灾报警 住宅 出租屋 smoke alarm detector fire",
        "新建住宅和群租房应按规定配置独立式火灾探测报警器；普通住宅虽未强制，但建议每个卧室和客厅安装。出租房屋由出租人负责配置消防设施。社区可免费提供部分老旧小区的烟感安装服务。",
    ),
    (
        "yjj-safety-training",
        "YJJ",
        "safety.chemicals",
        "企业安全生产培训要求",
        "安全生产 培训 主要负责人 安全管理人员 特种作业 线上课程 safety training",
        "生产经营单位的主要负责人和安全管理人员须参加安全生产知识和管理能力培训，特种作业人员须持证上岗，从业人员上岗前须接受不少于规定学时的安全培训。应急管理局“安全清河”平台提供免费线上课程。",
    ),
    (
        "yjj-gas-cylinder",
        "YJJ",
        "safety.fire",
        "液化气钢瓶的存放要求",
        "液化气 煤气罐 钢瓶 地下室 存放 gas cylinder storage",
        "液化石油气钢瓶不得存放在地下室、半地下室，餐饮场所存放钢瓶应设置独立的气瓶间并安装可燃气体报警装置。发现违规存放的，可向应急管理局或消防救援部门举报。",
    ),
    # 市场监管局
    (
        "scj-prepaid-card",
        "SCJ",
        "market.consumer",
        "预付卡商家转让或关门",
        "储值卡 预付卡 会员卡 充值 转让 跑路 不认 退款 prepaid card shop closed",
        "经营者转让店铺的，应当继续履行预付卡义务或经消费者同意后退还余额；新经营者承接原店铺的，应与原经营者协商承担。消费者可携带充值凭证向市场监管局投诉或12315平台举报，也可向法院起诉。",
    ),
    (
        "scj-three-guarantees",
        "SCJ",
        "market.consumer",
        "家电质量问题的退换货",
        "三包 退货 换货 质量问题 家电 洗衣机 商场 return defective appliance",
        "家用电器实行“三包”：售出7日内出现性能故障的，消费者可选择退货、换货或修理；15日内可选择换货或修理。商家拒绝履行的，可携带购物凭证向12315投诉。",
    ),
    (
        "scj-food-complaint",
        "SCJ",
        "market.food",
        "食品安全问题投诉",
        "食品安全 过期 变质 餐馆 卫生 投诉 food safety",
        "发现商店销售过期、变质食品或餐馆卫生问题的，可保留购物凭证和实物，通过12315或12345投诉，市场监管局将在7个工作日内决定是否受理。",
    ),
    # 一篇过期的文章：2025年的临时政策，园林局应当更新或撤下。
    (
        "ylj-2025-flower-show",
        "YLJ",
        "greening.parks",
        "2025年秋季花展期间公园临时开放安排",
        "花展 菊花展 公园 延时 开放 flower show",
        "2025年秋季菊花展期间（10月1日至11月15日），人民公园延长开放至23:00，并实行预约入园。",
    ),
]

EXPIRED = {"ylj-2025-flower-show"}


def seed_articles() -> int:
    """Write the demo knowledge base through the service (so each article is indexed). Returns how many are new."""
    from accounts.models import User
    from city.models import Category, Department
    from knowledge.models import Article
    from knowledge.services import article_save

    admin = User.objects.filter(username="admin").first()
    today = timezone.localdate()
    departments = Department.objects.in_bulk(field_name="code")
    categories = Category.objects.in_bulk(field_name="code")
    created = 0
    for slug, dept, category, title, keywords, body in ARTICLES:
        expired = slug in EXPIRED
        data = {
            "title": title,
            "body": body,
            "keywords": keywords,
            "department": departments[dept],
            "category": categories.get(category) if category else None,
            "valid_from": today - timedelta(days=420 if expired else 180),
            "valid_until": today - timedelta(days=20) if expired else None,
            "is_published": True,
        }
        existing = Article.objects.filter(slug=slug).first()
        article_save(by=admin, data=data, article=existing, slug=slug)
        created += existing is None
    return created
