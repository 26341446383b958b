"""What the citizens of Qinghe write, and what their offices answer: the demo history's words.

All fictional (the city of routing/demo.py). ``{place}`` is filled with a street or
compound of the case's district, in the case's language. Each category has a few
Chinese and English wordings; the history varies them with ``DETAILS_*``.
"""

from __future__ import annotations

# district code -> [(Chinese place, English place)]
PLACES = {
    "dongcheng": [
        ("红星路", "Hongxing Road"),
        ("鼓楼街", "Gulou Street"),
        ("红星里小区", "Hongxingli compound"),
        ("文化路菜市场", "Wenhua Road market"),
    ],
    "xicheng": [
        ("西关大街", "Xiguan Avenue"),
        ("槐树巷", "Huaishu Lane"),
        ("西苑小区", "Xiyuan compound"),
        ("金水桥", "Jinshui Bridge"),
    ],
    "nanhu": [
        ("湖滨路", "Hubin Road"),
        ("渔港路", "Yugang Road"),
        ("湖畔家园", "Lakeside Home compound"),
        ("南湖公园", "Nanhu Park"),
    ],
    "beishan": [
        ("北山大道", "Beishan Avenue"),
        ("矿区路", "Kuangqu Road"),
        ("松林小区", "Songlin compound"),
        ("北山公园", "Beishan Park"),
    ],
    "gaoxin": [
        ("科技大道", "Keji Avenue"),
        ("创业路", "Chuangye Road"),
        ("软件园", "Software Park"),
        ("云谷花园", "Yungu Garden"),
    ],
}

# category code -> {"zh": [(title, text)], "en": [(title, text)]}
WORDINGS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "city.vendors": {
        "zh": [
            ("{place}夜市占道经营", "{place}一到晚上就有十几个摊位摆到人行道上，行人只能走机动车道，很危险。"),
            ("{place}流动摊贩堵住路口", "{place}路口每天早上有卖早点的三轮车，把盲道和斑马线都占了。"),
        ],
        "en": [
            (
                "Stalls block the pavement on {place}",
                "Every evening food stalls cover the pavement on {place} and people have to walk in the road.",
            )
        ],
    },
    "city.structures": {
        "zh": [
            ("{place}楼顶私搭乱建", "{place}有住户在楼顶加盖了一层板房，还在继续施工，担心楼板承重。"),
            ("{place}一楼住户违建扩院", "{place}一楼住户把公共绿地围起来扩成自家院子，砌了砖墙。"),
        ],
        "en": [
            (
                "Illegal extension at {place}",
                "A ground-floor flat at {place} has walled off part of the shared garden and is building a room on it.",
            )
        ],
    },
    "city.garbage": {
        "zh": [
            ("{place}垃圾几天没人清运", "{place}门口的垃圾桶已经满了好几天，垃圾堆到路边，气味很大，招了很多苍蝇。"),
            ("{place}建筑垃圾乱倒", "有人晚上把装修垃圾倒在{place}路边，已经堆成小山了。"),
        ],
        "en": [
            (
                "Rubbish not collected at {place}",
                "The bins at {place} have not been emptied for four days and rubbish is piling up on the pavement.",
            )
        ],
    },
    "city.ads": {
        "zh": [("{place}广告牌松动", "{place}一块大型广告牌被风吹得松动，下面就是公交站，怕砸到人。")],
        "en": [
            (
                "Loose billboard on {place}",
                "A large billboard above the bus stop on {place} is loose and shakes in the wind.",
            )
        ],
    },
    "environment.air": {
        "zh": [
            ("{place}附近工厂排放刺鼻气体", "{place}附近的一家工厂晚上排放白烟，气味刺鼻，开窗就呛得咳嗽。"),
            ("{place}烧烤油烟扰民", "{place}楼下烧烤店油烟直排，楼上住户家里全是油烟味。"),
        ],
        "en": [
            (
                "Factory smoke near {place}",
                "A factory near {place} releases grey smoke every night and the whole area smells of chemicals.",
            )
        ],
    },
    "environment.water": {
        "zh": [("{place}河道发黑发臭", "{place}旁边的河道最近水发黑，有死鱼，怀疑有企业偷排污水。")],
        "en": [
            (
                "Black water in the canal at {place}",
                "The canal by {place} has turned black and smells; there are dead fish.",
            )
        ],
    },
    "environment.noise": {
        "zh": [
            ("{place}商铺音响噪音", "{place}的服装店门口音响从早放到晚，声音特别大，家里孩子没法写作业。"),
            ("{place}冷却塔噪声", "{place}一家商场的冷却塔日夜轰鸣，晚上睡不着觉。"),
        ],
        "en": [
            ("Loud speakers outside shops on {place}", "Shops on {place} play music through loudspeakers all day long.")
        ],
    },
    "housing.site": {
        "zh": [
            (
                "{place}工地夜间施工",
                "{place}的工地每天晚上十一点以后还在浇筑混凝土，噪音很大，没有看到夜间施工许可公示。",
            ),
            ("{place}工地扬尘严重", "{place}工地渣土车进出不冲洗，路面全是泥，扬尘很大。"),
        ],
        "en": [
            (
                "Night construction at {place}",
                "The building site at {place} works past midnight with pile drivers; no night-work permit is posted.",
            )
        ],
    },
    "housing.property": {
        "zh": [
            ("{place}物业不作为", "{place}小区电梯坏了两周物业一直拖着不修，老人上下楼很困难。"),
            ("{place}物业乱收费", "{place}物业要求每户交停车管理费，没有任何公示和依据。"),
        ],
        "en": [
            (
                "Property manager ignores broken lift at {place}",
                "The lift in our building at {place} has been broken for two weeks; the property company does nothing.",
            )
        ],
    },
    "housing.gas": {
        "zh": [("{place}燃气管道老化", "{place}老小区燃气管道锈蚀严重，楼道里时常有燃气味，希望尽快改造。")],
        "en": [
            (
                "Old gas pipes at {place}",
                "The gas pipes in the old buildings at {place} are rusty and the stairwell sometimes smells of gas.",
            )
        ],
    },
    "transport.bus": {
        "zh": [
            ("{place}公交车间隔太长", "{place}站的12路公交早高峰要等四十分钟，能否加密班次？"),
            ("{place}公交站台没有遮雨棚", "{place}公交站台没有遮雨棚，下雨天等车的老人孩子都淋湿了。"),
        ],
        "en": [
            (
                "Buses too rare at {place}",
                "Bus 12 at the {place} stop comes only every forty minutes in the morning rush.",
            )
        ],
    },
    "transport.taxi": {
        "zh": [("{place}出租车拒载", "晚上在{place}打车，司机问了目的地后拒载，还说要加价。")],
        "en": [
            (
                "Taxi refused a fare at {place}",
                "At {place} a taxi driver refused to take me after asking where I was going.",
            )
        ],
    },
    "transport.road": {
        "zh": [
            ("{place}路面坑洼", "{place}路面有好几个大坑，下雨积水看不见，已经有电动车摔倒了。"),
            ("{place}井盖缺失", "{place}人行道上一个井盖不见了，只用一个锥桶挡着，晚上很危险。"),
        ],
        "en": [("Potholes on {place}", "There are deep potholes on {place}; two cyclists fell there this week.")],
    },
    "traffic.parking": {
        "zh": [
            ("{place}车辆乱停占用消防通道", "{place}小区门口消防通道长期被私家车占用，救护车都进不来。"),
            ("{place}人行道停满车", "{place}人行道上停满了汽车，行人只能走到机动车道上。"),
        ],
        "en": [("Cars block the fire lane at {place}", "Private cars park in the fire lane at {place} every night.")],
    },
    "traffic.signals": {
        "zh": [("{place}红绿灯故障", "{place}路口的红绿灯一直闪黄灯，早高峰车辆和行人抢行，很容易出事故。")],
        "en": [
            (
                "Traffic lights broken at {place}",
                "The traffic lights at the {place} junction have been flashing yellow since Monday.",
            )
        ],
    },
    "market.food": {
        "zh": [
            ("{place}餐馆卫生差", "在{place}一家面馆吃饭，碗里有头发，后厨脏乱，吃完肚子疼。"),
            ("{place}超市卖过期食品", "{place}超市货架上的酸奶已经过期三天还在卖。"),
        ],
        "en": [
            ("Expired food sold at {place}", "The supermarket at {place} sells yoghurt that expired three days ago.")
        ],
    },
    "market.consumer": {
        "zh": [
            ("{place}健身房关门不退卡", "{place}的健身房突然关门，办的年卡还有八个月，老板联系不上。"),
            ("{place}手机店以次充好", "在{place}手机店买的新手机是翻新机，店家不给退。"),
        ],
        "en": [
            (
                "Gym closed without refund at {place}",
                "The gym at {place} closed overnight; I paid for a year and cannot reach the owner.",
            )
        ],
    },
    "market.prices": {
        "zh": [("{place}停车场乱收费", "{place}停车场收费标准没有公示，停两个小时收了五十元。")],
        "en": [
            (
                "Unposted parking prices at {place}",
                "The car park at {place} charged me 50 yuan for two hours; no prices are posted.",
            )
        ],
    },
    "labour.wages": {
        "zh": [
            ("{place}工地拖欠工资", "我们在{place}的工地干了三个月，包工头一直拖欠工资，二十多个工人没拿到钱。"),
            ("{place}餐馆拖欠服务员工资", "在{place}一家餐馆工作两个月，离职后老板不给结工资。"),
        ],
        "en": [
            ("Unpaid wages at {place}", "Twenty workers on the site at {place} have not been paid for three months.")
        ],
    },
    "labour.insurance": {
        "zh": [("社保转移办理困难", "我从外地调到{place}工作，社保转移已经申请两个月还没办好，咨询怎么处理。")],
        "en": [
            (
                "Social insurance transfer delayed",
                "I moved to a job at {place}; my social insurance transfer has been pending for two months.",
            )
        ],
    },
    "education.enrolment": {
        "zh": [("{place}片区入学咨询", "我家住{place}，孩子明年上小学，想咨询对口学校和需要准备的材料。")],
        "en": [
            (
                "School enrolment near {place}",
                "We live at {place}; which primary school is our catchment school next year?",
            )
        ],
    },
    "education.training": {
        "zh": [("{place}培训机构违规收费", "{place}一家校外培训机构要求一次性交两年学费，现在说要停业。")],
        "en": [
            (
                "Tutoring school demands two years' fees",
                "A tutoring centre at {place} made us prepay two years and now says it will close.",
            )
        ],
    },
    "health.hospitals": {
        "zh": [
            ("{place}社区医院排队时间长", "{place}社区卫生服务中心只有一个医生看诊，早上排队两个多小时。"),
            ("{place}医院停车难", "{place}医院门口没有停车位，送病人的车只能在路上排队。"),
        ],
        "en": [
            (
                "Long queues at the clinic on {place}",
                "The community clinic on {place} has one doctor; we queued for two hours.",
            )
        ],
    },
    "health.vaccination": {
        "zh": [("{place}疫苗接种预约难", "{place}社区医院的儿童疫苗每周只开放一次预约，一放号就约满。")],
        "en": [
            (
                "Cannot book vaccination at {place}",
                "Children's vaccination at {place} opens once a week and is full in minutes.",
            )
        ],
    },
    "water.supply": {
        "zh": [
            ("{place}停水没有通知", "{place}从早上开始停水，事先没有任何通知，家里老人做不了饭。"),
            ("{place}自来水发黄", "{place}的自来水最近有点发黄，还有异味，不敢喝。"),
        ],
        "en": [
            (
                "Water cut without notice at {place}",
                "The water at {place} has been off since this morning and nobody told us.",
            )
        ],
    },
    "water.drainage": {
        "zh": [
            ("{place}下雨就积水", "{place}一下雨路面积水没过脚踝，雨水篦子被堵住了。"),
            ("{place}下水道反味", "{place}下水道返臭，夏天整条街都是臭味。"),
        ],
        "en": [
            ("Flooding after rain on {place}", "Every time it rains {place} floods ankle-deep; the drains are blocked.")
        ],
    },
    "civil.elderly": {
        "zh": [("{place}老年食堂什么时候开", "{place}附近老人多，听说要建社区老年食堂，想问问什么时候开放。")],
        "en": [
            (
                "Canteen for the elderly near {place}",
                "Many old people live near {place}; when will the community canteen open?",
            )
        ],
    },
    "civil.subsidies": {
        "zh": [("低保申请进度咨询", "我住在{place}，上个月提交了低保申请，想了解审核进度。")],
        "en": [
            (
                "Subsidy application pending",
                "I live at {place} and applied for the low-income subsidy last month; what is the status?",
            )
        ],
    },
    "greening.trees": {
        "zh": [
            ("{place}树枝遮挡路灯", "{place}的行道树枝叶太密，把路灯全挡住了，晚上路很黑。"),
            ("{place}枯树有倒伏危险", "{place}有一棵枯死的大树歪向人行道，刮风时怕倒。"),
        ],
        "en": [
            (
                "Dead tree leaning over {place}",
                "A dead tree on {place} leans over the pavement and may fall in the wind.",
            )
        ],
    },
    "greening.parks": {
        "zh": [("{place}健身器材损坏", "{place}的健身器材坏了好几件，螺丝松动，小孩玩很危险。")],
        "en": [
            (
                "Broken exercise equipment in {place}",
                "Several exercise machines in {place} are broken and have loose bolts.",
            )
        ],
    },
    "planning.land": {
        "zh": [("{place}规划变更咨询", "听说{place}旁边的绿地要改成商业用地，想了解规划情况。")],
        "en": [
            (
                "Planned change of land use near {place}",
                "We heard the green space next to {place} will become commercial land; is that true?",
            )
        ],
    },
    "planning.registration": {
        "zh": [("{place}房产证迟迟办不下来", "{place}交房三年了，开发商一直说房产证在办，至今没有拿到。")],
        "en": [
            (
                "No property certificates at {place}",
                "Three years after moving in at {place} we still have no property certificates.",
            )
        ],
    },
    "safety.fire": {
        "zh": [
            ("{place}楼道堆放杂物", "{place}楼道里堆满了纸箱和旧家具，还有人在楼道给电动车充电，消防隐患很大。"),
            ("{place}消防通道被锁", "{place}商场的消防通道门被锁住了，万一着火跑不出去。"),
        ],
        "en": [
            (
                "E-bikes charged in the stairwell at {place}",
                "People charge e-bikes in the stairwell at {place}; it is a fire hazard.",
            )
        ],
    },
    "safety.chemicals": {
        "zh": [("{place}居民楼存放液化气罐", "{place}一家饭店在居民楼地下室存放二十多个液化气罐。")],
        "en": [
            (
                "Gas cylinders stored under flats at {place}",
                "A restaurant at {place} stores about twenty gas cylinders in the basement under our flats.",
            )
        ],
    },
}

# Too vague for the rules or the model: they wait in triage until a dispatcher calls the citizen back.
UNCLEAR = {
    "zh": [
        ("想反映一个问题", "你好，我们小区这个问题反映很久了，一直没人管，麻烦回个电话。"),
        ("咨询办理流程", "请问这个事情应该找哪个部门？需要带什么材料？"),
        ("投诉", "上次说好处理的，到现在还是老样子。"),
    ],
    "en": [("Who do I ask?", "Hello, which office handles this? Nobody answered my last message.")],
}

# Appended to some texts, so that no two cases read exactly alike.
DETAILS_ZH = [
    "",
    "已经持续一周了。",
    "之前打过电话，没有结果。",
    "希望有关部门尽快处理。",
    "周边居民意见很大。",
    "请尽快派人来看看。",
    "附近还有学校，孩子们上下学都经过这里。",
]
DETAILS_EN = ["", " It has been like this for a week.", " Please send someone soon.", " Many neighbours are upset."]

# Praise and suggestions, which also reach the offices.
PRAISE = {
    "zh": [
        ("感谢{place}维修队", "{place}的路灯坏了，报修第二天就修好了，工作人员很负责，特此感谢。"),
        ("表扬{place}网格员", "{place}的网格员主动帮独居老人联系维修，点赞！"),
    ],
    "en": [
        (
            "Thanks for the quick repair at {place}",
            "The street light at {place} was fixed the day after I reported it. Thank you!",
        )
    ],
}

# A real incident reported by many people in their own words within a few hours: the surge detector must find it.
# (days before the seeding day, local start hour, district, category, [(language, text)])
BURSTS = [
    (
        20,
        7,
        "nanhu",
        "water.supply",
        [
            ("zh", "湖畔家园从早上六点开始停水，没有任何通知，现在还没来水。"),
            ("zh", "湖畔家园3栋停水了，物业说是市政管网的问题，什么时候能恢复？"),
            ("zh", "南湖区湖畔家园整个小区都没水了，老人孩子没法洗漱做饭。"),
            ("zh", "湖畔家园停水四个小时了，打物业电话一直占线。"),
            ("zh", "请问湖畔家园停水是什么原因？家里水龙头一滴水都没有。"),
            ("zh", "湖畔家园门口的路上有水管爆了，水流了一地，小区停水。"),
            ("zh", "湖滨路湖畔家园附近水管破裂，路面全是水，小区里停水。"),
            ("zh", "湖畔家园停水一上午了，有没有送水车？"),
            ("zh", "我们湖畔家园6栋也停水了，希望尽快抢修。"),
            ("zh", "湖畔家园停水，孩子发烧想烧点热水都不行，请尽快恢复供水。"),
            ("en", "No water at Lakeside Home compound (湖畔家园) since 6 am, a pipe burst on Hubin Road."),
            ("zh", "湖畔家园停水到现在，物业也说不清楚，谁来管一管？"),
            ("zh", "湖畔家园小区停水，水管爆裂的地方已经形成积水坑了。"),
            ("zh", "湖畔家园从早上到中午都没有水，商铺也没法营业。"),
        ],
    ),
    (
        4,
        18,
        "gaoxin",
        "housing.gas",
        [
            ("zh", "云谷花园楼下燃气味很重，不知道是不是管道漏气了。"),
            ("zh", "高新区云谷花园5栋单元门口闻到很浓的燃气味，请燃气公司赶紧来查。"),
            ("zh", "云谷花园小区里到处是煤气味，很担心会出事。"),
            ("zh", "云谷花园东门附近燃气泄漏的味道越来越重了。"),
            ("zh", "我们在云谷花园，整栋楼都能闻到燃气味，已经开窗通风了。"),
            ("zh", "云谷花园地下车库燃气味很大，有人说是管道破了。"),
            ("en", "Strong smell of gas all over Yungu Garden (云谷花园) tonight, please check the pipes."),
            ("zh", "云谷花园燃气味一个多小时了，燃气公司电话打不通。"),
            ("zh", "科技大道云谷花园旁边施工挖断了燃气管？小区里燃气味很浓。"),
            ("zh", "云谷花园燃气味严重，老人孩子都不敢在家待。"),
            ("zh", "请尽快处理云谷花园的燃气泄漏，味道非常大。"),
            ("zh", "云谷花园7栋也有燃气味，物业说已经报修了但还没人来。"),
        ],
    ),
]

# What an office answers, by disposition and language ({title} is the case's title).
REPLIES = {
    "resolved": {
        "zh": [
            "您反映的“{title}”问题已收悉。经现场核查，情况属实，我单位已安排人员处理完毕，并将加强日常巡查。感谢您的监督。",
            "关于“{title}”，我单位已于收到后组织现场处置，问题已解决。如再出现类似情况，请继续反映。",
            "您好，“{title}”一事经核实后已责令相关责任方整改，整改已完成。",
        ],
        "en": [
            "We checked “{title}” on site: the problem was real and is fixed. We will inspect it regularly.",
            "Thank you for reporting “{title}”. Our team dealt with it and the matter is resolved.",
        ],
    },
    "explained": {
        "zh": [
            "您反映的“{title}”已收悉。经核查，现将有关情况和政策规定向您说明：相关事项可到属地服务窗口办理，工作日均可受理。",
            "您反映的“{title}”已了解。经核查，该情况符合相关规定，现将有关情况向您说明，如有疑问可再次反映。",
        ],
        "en": ["About “{title}”: see the rules and steps on our service page; any district window can help."],
    },
    "adopted": {
        "zh": ["感谢您对“{title}”提出的建议，我单位已研究采纳，将在近期组织实施。"],
        "en": ["Thank you for your suggestion on “{title}”: we have adopted it and will put it into practice soon."],
    },
    "unresolvable": {
        "zh": ["您反映的“{title}”涉及历史遗留问题，目前暂不具备解决条件，我单位已登记在案，条件具备后优先处理。"],
        "en": ["“{title}” is a long-standing matter we cannot solve yet; it is on record."],
    },
}

SECOND_REPLY = {
    "zh": "针对您的再次反映，我单位重新组织了现场核查，对“{title}”问题进行了彻底整改，并指定专人跟踪。",
    "en": "After your second report we inspected again and fixed “{title}” for good; one officer now follows it.",
}

RATING_COMMENTS = {
    "satisfied": {"zh": ["处理很及时，谢谢！", "工作人员态度很好。", ""], "en": ["Quick and helpful, thanks.", ""]},
    "basically": {"zh": ["基本解决了，希望保持。", ""], "en": ["Mostly fixed.", ""]},
    "unsatisfied": {"zh": ["问题没有解决，只是打了个电话。", "答复敷衍。"], "en": ["Nothing changed on the ground."]},
}

REOPEN_REASONS = {"zh": "问题依然存在，请重新处理。", "en": "The problem is still there; please handle it again."}
MATERIAL_QUESTIONS = {"zh": "请补充具体位置（门牌号）和现场照片。", "en": "Please send the exact address and a photo."}
MATERIAL_ANSWERS = {
    "zh": "具体位置在北侧入口旁，照片稍后补充。",
    "en": "It is next to the north entrance; photo to follow.",
}
RETURN_TEXTS = {
    "not_our_duty": "经研判，该诉求不属于本单位职责范围，建议转相关主管部门办理。",
    "wrong_district": "该地点不在本单位管辖范围内。",
}
REDISPATCH_REASON = "根据职责分工改派主责单位。"
REJECT_RETURN_NOTE = "该事项属于贵单位职责，请继续办理。"
EXTENSION_REASON = "需协调多个部门现场会商，申请延期。"
CO_OPINION = "我单位已配合开展现场核查，同意主办单位处理意见。"

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明"]
EN_NAMES = ["Anna Berg", "Tom Miller", "Li Wei", "Sara Khan", "Jon Park", "Maria Rossi", "David Chen", "Eva Novak"]
