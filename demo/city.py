"""The fictional city of Qinghe (清河市): districts, departments, categories, people.

Used by ``manage.py seed_demo`` and by tests that need a realistic city.
Every row is written with ``update_or_create`` on its code, so seeding twice
changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import Membership, User
from casework.models import ReturnReason
from city.calendar import calendar_seed
from city.catalogue import DISTRICTS  # noqa: F401 - seed_demo writes them; tests import them from here
from city.models import Category, Department, District
from deadlines.services import policy_defaults_seed
from open311.demo import seed_service_definitions
from routing.services import routing_rules_seed_from_catalogue

# The five districts are the city's data (``city.catalogue.DISTRICTS``); departments and categories follow.

# code, Chinese, English, short duties (one per line in the duty catalogue).
DEPARTMENTS = [
    (
        "CGJ",
        "城市管理局",
        "Urban Management Bureau",
        "street vendors\nillegal structures\nlitter and garbage\noutdoor advertising\nsanitation",
    ),
    (
        "STHJ",
        "生态环境局",
        "Ecology and Environment Bureau",
        "factory pollution\nsmells\nair and water pollution\nindustrial and commercial noise",
    ),
    (
        "ZJJ",
        "住房和城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        "construction sites and night work\nproperty management\nhousing quality\n"
        "elevators in old compounds\ngas supply",
    ),
    ("JTJ", "交通运输局", "Transport Bureau", "buses\ntaxis and ride-hailing\nroad damage\nmetro\ndriving schools"),
    (
        "JJ",
        "公安局交通警察支队",
        "Traffic Police Detachment",
        "illegal parking\ntraffic signals\ncongestion\ntraffic violations\nlicences",
    ),
    (
        "SCJ",
        "市场监督管理局",
        "Market Regulation Bureau",
        "food safety\nrestaurants\nconsumer disputes\nfalse advertising\nprices\nprepaid cards",
    ),
    (
        "RSJ",
        "人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
        "unpaid wages\nlabour contracts\nsocial and medical insurance\npensions\njobs",
    ),
    ("JYJ", "教育局", "Education Bureau", "enrolment\nschool fees\nafter-school training\nschool safety\nteachers"),
    ("WJW", "卫生健康委员会", "Health Commission", "hospitals\ndoctors' conduct\nvaccination\nclinics"),
    ("SWJ", "水务局", "Water Affairs Bureau", "water outages and quality\ndrainage\nwaterlogging\nsewers"),
    (
        "MZJ",
        "民政局",
        "Civil Affairs Bureau",
        "elderly care\nlow-income subsidies\ndisability support\nmarriage registration\nresidents' committees",
    ),
    ("YLJ", "园林绿化局", "Landscaping and Greening Bureau", "trees\nparks\ngreen belts\nfallen branches"),
    (
        "ZRZY",
        "自然资源和规划局",
        "Natural Resources and Planning Bureau",
        "land use\nplanning permits\nproperty registration",
    ),
    (
        "YJJ",
        "应急管理局",
        "Emergency Management Bureau",
        "fire hazards\nhazardous chemicals\nworkplace safety\ndisaster preparedness",
    ),
]

# (code, Chinese, English, default department, children[(code, zh, en, dept)])
CATEGORIES = [
    (
        "city",
        "市容环境",
        "City appearance",
        "CGJ",
        [
            ("city.vendors", "占道经营", "Street vendors", "CGJ"),
            ("city.structures", "违法建设", "Illegal structures", "CGJ"),
            ("city.garbage", "垃圾清运", "Garbage and litter", "CGJ"),
            ("city.ads", "户外广告", "Outdoor advertising", "CGJ"),
        ],
    ),
    (
        "environment",
        "生态环境",
        "Environment",
        "STHJ",
        [
            ("environment.air", "大气污染", "Air pollution", "STHJ"),
            ("environment.water", "水污染", "Water pollution", "STHJ"),
            ("environment.noise", "噪声污染", "Noise", "STHJ"),
        ],
    ),
    (
        "housing",
        "住房建设",
        "Housing and construction",
        "ZJJ",
        [
            ("housing.site", "建筑工地", "Construction sites", "ZJJ"),
            ("housing.property", "物业管理", "Property management", "ZJJ"),
            ("housing.gas", "燃气供应", "Gas supply", "ZJJ"),
        ],
    ),
    (
        "transport",
        "交通出行",
        "Transport",
        "JTJ",
        [
            ("transport.bus", "公交地铁", "Buses and metro", "JTJ"),
            ("transport.taxi", "出租网约车", "Taxis and ride-hailing", "JTJ"),
            ("transport.road", "道路破损", "Road damage", "JTJ"),
        ],
    ),
    (
        "traffic",
        "交通管理",
        "Traffic management",
        "JJ",
        [
            ("traffic.parking", "违章停车", "Illegal parking", "JJ"),
            ("traffic.signals", "信号灯", "Traffic signals", "JJ"),
        ],
    ),
    (
        "market",
        "市场监管",
        "Market and consumers",
        "SCJ",
        [
            ("market.food", "食品安全", "Food safety", "SCJ"),
            ("market.consumer", "消费纠纷", "Consumer disputes", "SCJ"),
            ("market.prices", "价格收费", "Prices and charges", "SCJ"),
        ],
    ),
    (
        "labour",
        "劳动社保",
        "Labour and social security",
        "RSJ",
        [
            ("labour.wages", "欠薪", "Unpaid wages", "RSJ"),
            ("labour.insurance", "社保医保", "Social and medical insurance", "RSJ"),
        ],
    ),
    (
        "education",
        "教育",
        "Education",
        "JYJ",
        [
            ("education.enrolment", "入学", "Enrolment", "JYJ"),
            ("education.training", "校外培训", "After-school training", "JYJ"),
        ],
    ),
    (
        "health",
        "医疗卫生",
        "Health",
        "WJW",
        [
            ("health.hospitals", "医院服务", "Hospitals", "WJW"),
            ("health.vaccination", "疫苗接种", "Vaccination", "WJW"),
        ],
    ),
    (
        "water",
        "供水排水",
        "Water",
        "SWJ",
        [
            ("water.supply", "停水水质", "Water supply and quality", "SWJ"),
            ("water.drainage", "排水积水", "Drainage and waterlogging", "SWJ"),
        ],
    ),
    (
        "civil",
        "民政服务",
        "Civil affairs",
        "MZJ",
        [
            ("civil.elderly", "养老服务", "Elderly care", "MZJ"),
            ("civil.subsidies", "低保救助", "Subsidies and assistance", "MZJ"),
        ],
    ),
    (
        "greening",
        "园林绿化",
        "Parks and trees",
        "YLJ",
        [
            ("greening.trees", "树木修剪", "Trees", "YLJ"),
            ("greening.parks", "公园绿地", "Parks and green belts", "YLJ"),
        ],
    ),
    (
        "planning",
        "规划国土",
        "Planning and land",
        "ZRZY",
        [
            ("planning.land", "土地利用", "Land use", "ZRZY"),
            ("planning.registration", "不动产登记", "Property registration", "ZRZY"),
        ],
    ),
    (
        "safety",
        "安全生产",
        "Safety",
        "YJJ",
        [
            ("safety.fire", "消防隐患", "Fire hazards", "YJJ"),
            ("safety.chemicals", "危险化学品", "Hazardous chemicals", "YJJ"),
        ],
    ),
    ("other", "其他", "Other", None, []),
]

DEMO_PASSWORD = "minsheng-demo-2026"

# username, role, full name, departments, is_head, is_staff (admin site)
USERS = [
    ("admin", "administrator", "系统管理员", [], False, True),
    ("dispatcher", "dispatcher", "分拨员 王芳", [], False, False),
    ("operator", "operator", "话务员 林晓", [], False, False),
    ("supervisor", "supervisor", "督办 李强", [], False, False),
    ("cgj_staff", "staff", "城管局 张伟", ["CGJ"], False, False),
    ("cgj_head", "head", "城管局 局长 陈静", ["CGJ"], True, False),
    ("zjj_staff", "staff", "住建局 刘洋", ["ZJJ"], False, False),
    ("swj_staff", "staff", "水务局 赵敏", ["SWJ"], False, False),
    ("sthj_staff", "staff", "生态环境局 孙磊", ["STHJ"], False, False),
    # One login for every other department, so any case can be followed to its end.
    ("jtj_staff", "staff", "交通局 周杰", ["JTJ"], False, False),
    ("jj_staff", "staff", "交警支队 吴刚", ["JJ"], False, False),
    ("scj_staff", "staff", "市场监管局 郑丽", ["SCJ"], False, False),
    ("rsj_staff", "staff", "人社局 王磊", ["RSJ"], False, False),
    ("jyj_staff", "staff", "教育局 冯霞", ["JYJ"], False, False),
    ("wjw_staff", "staff", "卫健委 陈晨", ["WJW"], False, False),
    ("mzj_staff", "staff", "民政局 褚红", ["MZJ"], False, False),
    ("ylj_staff", "staff", "园林局 卫东", ["YLJ"], False, False),
    ("zrzy_staff", "staff", "规划资源局 蒋平", ["ZRZY"], False, False),
    ("yjj_staff", "staff", "应急局 沈彤", ["YJJ"], False, False),
]


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or update the demo city. Returns counts of rows written."""

    for order, (code, zh, en) in enumerate(DISTRICTS):
        District.objects.update_or_create(code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": order})
    departments = {}
    for order, (code, zh, en, duties) in enumerate(DEPARTMENTS):
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "duties": duties, "sort_order": order}
        )
    for order, (code, zh, en, dept, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "default_department": departments.get(dept),
                "sort_order": order * 100,
                "parent": None,
            },
        )
        for child_order, (child_code, czh, cen, cdept) in enumerate(children, start=1):
            Category.objects.update_or_create(
                code=child_code,
                defaults={
                    "name_zh": czh,
                    "name_en": cen,
                    "parent": parent,
                    "default_department": departments.get(cdept),
                    "sort_order": order * 100 + child_order,
                },
            )
    for username, role, full_name, dept_codes, is_head, is_staff in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": full_name,
                "is_staff": is_staff,
                "is_superuser": role == "administrator",
                "email": f"{username}@qinghe.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for code in dept_codes:
            Membership.objects.get_or_create(user=user, department=departments[code], defaults={"is_head": is_head})

    rules = routing_rules_seed_from_catalogue()
    _seed_closed_loop()

    seed_service_definitions()

    seed_return_reasons()
    return {
        "rules": rules,
        "districts": District.objects.count(),
        "departments": Department.objects.count(),
        "categories": Category.objects.count(),
        "users": User.objects.count(),
    }


def _seed_closed_loop() -> None:
    """Official calendar and default deadline policies (both idempotent)."""

    calendar_seed()
    policy_defaults_seed()


RETURN_REASONS = [
    ("not_our_duty", "不属于本单位职责", "Not within our duties"),
    ("wrong_district", "不属于本辖区", "Outside our district"),
    ("other_channel", "应通过其他法定途径解决", "Belongs to another legal channel"),
    ("insufficient", "诉求内容不清无法办理", "Too unclear to handle"),
]


def seed_return_reasons() -> None:
    """The administrator's list of return reasons (退单理由), seeded for the demo."""

    for order, (code, zh, en) in enumerate(RETURN_REASONS):
        ReturnReason.objects.update_or_create(code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": order})
