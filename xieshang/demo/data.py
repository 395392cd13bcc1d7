"""Fixed Chinese data the demo generator draws from. Everything here is fictional: the county 示范县, its
companies, schools and people. Township names are common Gansu place names, kept so the demo reads like a
real county in the Tianshui area (where 洛门 is the vegetable town)."""

from __future__ import annotations

from typing import NamedTuple

from xieshang.organisation.models import HandlingUnit, Leader, Party

# --- People -------------------------------------------------------------------------------------------

# (surname, weight): the common surnames of eastern Gansu first, then the national long tail.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 14), ("李", 12), ("张", 10), ("杨", 9), ("刘", 8), ("赵", 6), ("马", 6), ("陈", 5),
    ("何", 4), ("郭", 4), ("魏", 4), ("汪", 3), ("蒲", 3), ("包", 2), ("裴", 2), ("谢", 2),
    ("牛", 2), ("令狐", 1), ("周", 2), ("吴", 2), ("孙", 2), ("朱", 2), ("胡", 2), ("高", 2),
    ("罗", 1), ("郑", 1), ("梁", 1), ("宋", 1), ("唐", 1), ("许", 1), ("韩", 2), ("冯", 1),
    ("邓", 1), ("曹", 1), ("彭", 1), ("田", 2), ("董", 1), ("袁", 1), ("潘", 1), ("蒋", 1),
    ("苏", 1), ("吕", 1), ("丁", 1), ("任", 1), ("姚", 1), ("姜", 1), ("崔", 1), ("雷", 1),
    ("巩", 1), ("漆", 1),
)
HUI_SURNAMES: tuple[str, ...] = ("马", "丁", "沙", "穆", "白", "海", "冶", "韩", "哈", "杨")
DONGXIANG_SURNAMES: tuple[str, ...] = ("马", "妥", "汪", "唐", "赵", "何")

MALE_CHARS = "建国伟军强明涛斌磊勇刚平辉鹏东林峰文志海宏杰俊永成忠福生荣宁学兴德江波长庆春玉云彦振兵锋亮鑫龙浩宇继世"
FEMALE_CHARS = "丽娟敏静霞燕红芳玲梅英慧琴萍艳雪婷莉兰华春秀晓丹瑞琳洁颖倩蓉雅桂凤玉"

# Tibetan names have no surname: two parts, e.g. 才让东智, 拉毛草.
TIBETAN_MALE = (("扎西", "才让", "多杰", "索南", "旦增", "贡保", "仁青", "尕藏", "更登", "完玛"),
                ("东智", "加措", "才旦", "当周", "太", "扎西", "华旦", "尖措", "闹日"))
TIBETAN_FEMALE = (("卓玛", "拉毛", "央金", "措毛", "德吉", "才让", "桑吉", "仁青", "完玛"),
                  ("草", "卓玛", "吉", "措", "拉姆", "卓嘎"))

MOBILE_PREFIXES: tuple[str, ...] = ("133", "135", "138", "139", "151", "152", "158", "159", "177", "180", "181",
                                    "189", "199")
AREA_CODE = "0938"

# --- Places and organisations -------------------------------------------------------------------------------


class Township(NamedTuple):
    name: str
    feature: str  # what sets it apart; goes into the unit's duties so unit suggestions have something to match


TOWNSHIPS: tuple[Township, ...] = (
    Township("城关镇", "辖县城老城区和城郊社区，重点是社区治理、背街小巷整治和城镇更新"),
    Township("洛门镇", "是全县蔬菜产业和商贸物流重镇，重点是蔬菜产销和集镇建设"),
    Township("鸳鸯镇", "以苹果、花椒等特色林果业为主，重点是果品贮藏和销售"),
    Township("滩歌镇", "地处南部山区，有古镇文化旅游资源，重点是乡村旅游和古建筑保护"),
    Township("四门镇", "以中药材种植和林下经济为主，重点是药材加工和山区道路"),
    Township("马力镇", "以设施农业和劳务输出为主，重点是留守老人儿童关爱"),
    Township("山丹镇", "以旱作农业和肉牛养殖为主，重点是草畜产业和农田水利"),
    Township("温泉镇", "有温泉康养旅游资源，重点是温泉景区开发和生态保护"),
    Township("桦林镇", "地处林区，承担森林防火和天然林保护任务"),
    Township("龙台镇", "以草畜产业和中药材为主，重点是易地搬迁后续扶持"),
    Township("榆盘镇", "地处干旱山区，重点是农村饮水安全和梯田建设"),
    Township("高楼镇", "以马铃薯和小杂粮种植为主，重点是农产品初加工"),
    Township("杨河镇", "是回族群众聚居镇，以清真食品加工和牛羊养殖为主"),
    Township("沿安乡", "地处高寒阴湿山区，藏族群众较多，以畜牧业和民族团结进步创建为重点"),
    Township("咀头乡", "以花椒和核桃种植为主，重点是村道硬化和电商销售"),
)
TOWNSHIP_NAMES: tuple[str, ...] = tuple(t.name for t in TOWNSHIPS)

VILLAGES: tuple[str, ...] = ("王家庄", "李家湾", "马坪", "上街", "东旺", "西山", "石岭", "柳树沟", "沙坪", "红崖",
                             "新庄", "赵家坪", "南沟", "高庄", "何家湾", "大寨")
COMPANIES: tuple[str, ...] = (
    "陇原果业有限公司", "金穗农业科技有限公司", "鑫源建材有限公司", "天顺物流有限公司", "丰泰食品有限公司",
    "恒达建筑工程有限公司", "华康药业有限公司", "渭河水泥有限公司", "祥和商贸有限公司", "瑞丰中药材有限公司",
    "陇上香清真食品有限公司", "绿源蔬菜有限公司", "宏远房地产开发有限公司", "惠民连锁超市有限公司",
    "新星电子商务有限公司", "晨光印务有限公司", "兴达汽车运输有限公司", "伊香牛羊肉加工有限公司",
)
# Farming and food companies, for the agriculture sector.
AGRI_COMPANIES: tuple[str, ...] = ("陇原果业有限公司", "金穗农业科技有限公司", "瑞丰中药材有限公司", "绿源蔬菜有限公司",
                                   "伊香牛羊肉加工有限公司", "丰泰食品有限公司", "渭水花椒产业开发有限公司")
COOPERATIVES: tuple[str, ...] = ("绿丰蔬菜种植专业合作社", "金果苹果专业合作社", "福源养殖专业合作社",
                                 "百草中药材种植专业合作社", "兴农花椒专业合作社", "众鑫肉牛养殖专业合作社")
ROADS: tuple[str, ...] = ("人民路", "建设路", "解放路", "滨河路", "渭州路", "新华路", "文化路", "东大街")

# --- Sectors: size, parties, and the jobs their members hold ---------------------------------------------

# Work-unit templates: {town} a township, {village} a village in it, {company} a company, {agri} a farming
# or food company, {coop} a township cooperative. A township title with {head} becomes 镇长 or 乡长.
Job = tuple[str, str]


class SectorPlan(NamedTuple):
    count: int
    parties: tuple[tuple[str, float], ...]
    female: float
    jobs: tuple[Job, ...]
    born: tuple[int, int] = (1962, 1986)


P = Party
SECTOR_PLANS: dict[str, SectorPlan] = {
    # The generator adds the full-time places on top of these counts: chairman, two vice-chairmen,
    # secretary-general and the six committee directors here, one vice-chairman each to 民盟 and 无党派人士.
    "中共": SectorPlan(20, ((P.CPC, 1.0),), 0.2, (
        ("县委组织部", "副部长"), ("县委宣传部", "副部长"), ("县委统战部", "副部长"), ("县纪委监委", "副书记"),
        ("{town}", "党委书记"), ("{town}", "党委副书记、{head}"), ("县发展和改革局", "局长"),
        ("县财政局", "党组书记、局长"), ("县住房和城乡建设局", "党组书记、局长"), ("县委党校", "常务副校长"),
        ("县农业农村局", "党组书记"), ("县融媒体中心", "主任"), ("县人力资源和社会保障局", "局长"),
        ("县委政策研究室", "主任"), ("县工业园区管委会", "主任"), ("县机关事务服务中心", "主任"),
    ), (1966, 1982)),
    "民革": SectorPlan(8, ((P.RCCK, 1.0),), 0.3, (
        ("县第一中学", "教师"), ("县人民医院", "副主任医师"), ("甘肃正衡律师事务所", "主任"),
        ("县自然资源局", "副局长"), ("县文化馆", "副馆长"), ("县统计局", "副局长"), ("县水务局", "高级工程师"),
        ("县第二中学", "副校长"),
    )),
    "民盟": SectorPlan(8, ((P.CDL, 1.0),), 0.35, (
        ("县第一中学", "副校长"), ("县职业中等专业学校", "教务主任"), ("县图书馆", "馆长"), ("县城关第一小学", "校长"),
        ("县人民医院", "主治医师"), ("县市场监督管理局", "副局长"), ("县教育局", "副局长"), ("县第三中学", "教师"),
    )),
    "民进": SectorPlan(8, ((P.CAPD, 1.0),), 0.45, (
        ("县第二中学", "教师"), ("县实验小学", "副校长"), ("县文化馆", "馆员"), ("县新华书店", "经理"),
        ("县第一幼儿园", "园长"), ("县博物馆", "副馆长"), ("县文化和旅游局", "副局长"),
    )),
    "无党派人士": SectorPlan(7, ((P.NON_PARTY, 1.0),), 0.3, (
        ("县人民医院", "主任医师"), ("县住房和城乡建设局", "副局长"), ("县审计局", "副局长"),
        ("县第一中学", "高级教师"), ("陇信会计师事务所", "所长"), ("县中医医院", "副院长"), ("县民政局", "副局长"),
    )),
    "共青团": SectorPlan(6, ((P.CPC, 0.5), (P.MASSES, 0.5)), 0.5, (
        ("团县委", "书记"), ("团县委", "副书记"), ("县第一中学", "团委书记"), ("{town}", "团委书记"),
        ("县青年创业协会", "会长"), ("{company}", "总经理"), ("县青少年活动中心", "主任"),
    ), (1986, 1995)),
    "工会": SectorPlan(8, ((P.CPC, 0.5), (P.MASSES, 0.5)), 0.35, (
        ("县总工会", "副主席"), ("国网示范县供电公司", "工会主席"), ("{company}", "工会主席"), ("县人民医院", "护士长"),
        ("{company}", "车间主任"), ("县交通运输局", "工会主席"), ("县环境卫生管理所", "班长"),
    )),
    "妇联": SectorPlan(8, ((P.CPC, 0.5), (P.MASSES, 0.375), (P.NON_PARTY, 0.125)), 1.0, (
        ("县妇联", "主席"), ("县妇联", "副主席"), ("{town}", "妇联主席"), ("县妇幼保健院", "副院长"),
        ("{coop}", "理事长"), ("{company}", "总经理"), ("县第二幼儿园", "园长"), ("{village}", "党支部书记"),
    )),
    "工商联": SectorPlan(12, ((P.CDNCA, 0.35), (P.MASSES, 0.4), (P.CPC, 0.2), (P.NON_PARTY, 0.05)), 0.2, (
        ("县工商联", "副主席"), ("{company}", "董事长"), ("{company}", "总经理"), ("{coop}", "理事长"),
    )),
    "科协": SectorPlan(7, ((P.JS, 0.3), (P.CPC, 0.3), (P.MASSES, 0.4)), 0.3, (
        ("县科协", "副主席"), ("县农业技术推广中心", "高级农艺师"), ("县气象局", "局长"),
        ("县畜牧兽医中心", "高级兽医师"), ("县科技馆", "馆长"), ("县林业和草原局", "高级工程师"),
        ("县农业机械化技术推广站", "站长"), ("县科协", "科普部部长"),
    )),
    "台联": SectorPlan(3, ((P.TDSGL, 0.35), (P.MASSES, 0.65)), 0.35, (
        ("县台联", "会长"), ("{company}", "总经理"), ("县人民医院", "医师"),
    )),
    "侨联": SectorPlan(3, ((P.CZGP, 0.4), (P.MASSES, 0.6)), 0.35, (
        ("县侨联", "副主席"), ("{company}", "董事长"), ("县第一中学", "教师"),
    )),
    "文艺界": SectorPlan(8, ((P.CPC, 0.3), (P.CAPD, 0.2), (P.CDL, 0.1), (P.MASSES, 0.4)), 0.4, (
        ("县文联", "主席"), ("县秦腔剧团", "团长"), ("县文化馆", "副馆长"), ("县书法家协会", "主席"),
        ("县作家协会", "副主席"), ("县美术家协会", "主席"), ("县融媒体中心", "记者"), ("县摄影家协会", "主席"),
        ("县音乐舞蹈家协会", "主席"), ("县剪纸艺术协会", "会长"),
    )),
    "科技界": SectorPlan(8, ((P.JS, 0.3), (P.CPC, 0.3), (P.CPWDP, 0.1), (P.MASSES, 0.3)), 0.25, (
        ("县农业技术推广中心", "主任"), ("县果业发展中心", "高级农艺师"), ("县水务局", "高级工程师"),
        ("县工业和信息化局", "副局长"), ("县科学技术局", "副局长"), ("{company}", "技术总监"), ("县地震局", "局长"),
        ("县产品质量检验所", "所长"), ("县农业机械化技术推广站", "高级工程师"),
    )),
    "社科界": SectorPlan(7, ((P.CPC, 0.43), (P.CDL, 0.14), (P.MASSES, 0.43)), 0.35, (
        ("县委党校", "副校长"), ("县委党校", "讲师"), ("县档案馆", "副馆长"), ("县地方志办公室", "副主任"),
        ("县社科联", "主席"), ("县第一中学", "历史教师"), ("县委政策研究室", "副主任"),
    )),
    "经济界": SectorPlan(16, ((P.CPC, 0.4375), (P.CDNCA, 0.1875), (P.MASSES, 0.375)), 0.25, (
        ("县发展和改革局", "副局长"), ("县财政局", "副局长"), ("县商务局", "局长"), ("县统计局", "局长"),
        ("示范农村商业银行", "董事长"), ("中国农业银行示范县支行", "行长"), ("示范县城市建设投资有限公司", "总经理"),
        ("{company}", "董事长"), ("国家税务总局示范县税务局", "副局长"), ("县工业园区管委会", "副主任"),
        ("中国建设银行示范县支行", "行长"), ("县供销合作社", "主任"), ("{company}", "总经理"),
        ("县国有资产管理服务中心", "主任"), ("中国人民财产保险示范支公司", "经理"),
    )),
    "农业界": SectorPlan(16, ((P.CPC, 0.4375), (P.MASSES, 0.5), (P.CPWDP, 0.0625)), 0.2, (
        ("县农业农村局", "副局长"), ("{village}", "党支部书记、村委会主任"), ("{coop}", "理事长"),
        ("县果业发展中心", "主任"), ("县畜牧兽医中心", "主任"), ("{town}", "农业农村综合服务中心主任"),
        ("{agri}", "董事长"), ("县蔬菜产业发展中心", "主任"), ("{village}", "种植大户"),
    )),
    "教育界": SectorPlan(14, ((P.CPC, 0.43), (P.CAPD, 0.14), (P.CDL, 0.14), (P.MASSES, 0.29)), 0.45, (
        ("县第一中学", "校长"), ("县第一中学", "副校长"), ("县第二中学", "校长"), ("县第三中学", "副校长"),
        ("县职业中等专业学校", "校长"), ("县城关第一小学", "校长"), ("县实验小学", "校长"), ("县第一幼儿园", "园长"),
        ("{town}中心小学", "校长"), ("{town}初级中学", "校长"), ("县特殊教育学校", "校长"), ("县教育局", "副局长"),
        ("县教学研究室", "主任"),
    )),
    "体育界": SectorPlan(4, ((P.CPC, 0.25), (P.MASSES, 0.75)), 0.3, (
        ("县文体中心", "主任"), ("县第一中学", "体育教师"), ("县全民健身中心", "主任"), ("县武术协会", "会长"),
    ), (1970, 1990)),
    "医卫界": SectorPlan(12, ((P.CPWDP, 0.25), (P.CPC, 0.33), (P.MASSES, 0.42)), 0.4, (
        ("县人民医院", "院长"), ("县人民医院", "主任医师"), ("县人民医院", "副主任医师"), ("县中医医院", "院长"),
        ("县中医医院", "主任医师"), ("县妇幼保健院", "院长"), ("县疾病预防控制中心", "主任"), ("{town}卫生院", "院长"),
        ("县卫生健康局", "副局长"), ("县第二人民医院", "副院长"),
    )),
    "少数民族界": SectorPlan(8, ((P.CPC, 0.5), (P.MASSES, 0.5)), 0.3, (
        ("县民族宗教事务局", "副局长"), ("杨河镇", "副镇长"), ("沿安乡", "副乡长"),
        ("伊香牛羊肉加工有限公司", "董事长"), ("{village}", "党支部书记"), ("县第一中学", "教师"),
        ("县人民医院", "医师"), ("陇上香清真食品有限公司", "总经理"), ("县回民小学", "校长"),
        ("{village}", "村委会主任"), ("县民族中学", "副校长"),
    )),
    "宗教界": SectorPlan(6, ((P.MASSES, 1.0),), 0.05, ()),  # clergy: see RELIGIOUS_JOBS
    "特别邀请人士": SectorPlan(15, ((P.CPC, 0.47), (P.NON_PARTY, 0.2), (P.MASSES, 0.33)), 0.25, (
        ("县人大常委会", "副主任"), ("县人民法院", "副院长"), ("县人民检察院", "副检察长"), ("县公安局", "副局长"),
        ("县退役军人事务局", "局长"), ("县人民武装部", "副部长"), ("{company}", "董事长"),
        ("县残疾人联合会", "理事长"), ("县红十字会", "常务副会长"), ("县信访局", "局长"), ("县司法局", "局长"),
        ("县人大常委会", "办公室主任"), ("县老干部局", "局长"), ("县关心下一代工作委员会", "常务副主任"),
        ("县慈善协会", "会长"), ("县政府办公室", "副主任"),
    ), (1958, 1980)),
}

# Religious figures: (work unit, title, ethnicities to draw from). Clergy are not party members.
RELIGIOUS_JOBS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("县伊斯兰教协会", "会长", ("回族",)),
    ("杨河镇清真大寺", "教长", ("回族", "东乡族")),
    ("洛门镇清真寺", "教长", ("回族",)),
    ("县佛教协会", "会长", ("藏族",)),
    ("沿安乡扎西寺", "寺管会主任", ("藏族",)),
    ("县道教协会", "会长", ("汉族",)),
    ("县基督教三自爱国运动委员会", "主任", ("汉族",)),
)

# Ethnicity outside the minorities and religious sectors: overwhelmingly Han, as in eastern Gansu.
ETHNICITY_DEFAULT: tuple[tuple[str, float], ...] = (("汉族", 0.95), ("回族", 0.035), ("藏族", 0.01), ("东乡族", 0.005))
ETHNICITY_MINORITIES: tuple[tuple[str, float], ...] = (("回族", 0.5), ("藏族", 0.25), ("东乡族", 0.25))

# --- Special committees -----------------------------------------------------------------------------------


class SpecialCommitteePlan(NamedTuple):
    name: str
    short_name: str
    sectors: tuple[str, ...]
    duties: str


SPECIAL_COMMITTEES: tuple[SpecialCommitteePlan, ...] = (
    SpecialCommitteePlan("提案委员会", "提案委", ("民革", "民盟", "民进", "无党派人士"),
                         "负责提案的征集、审查、立案、交办和督办，组织提案办理协商，编写提案工作情况报告。"),
    SpecialCommitteePlan("经济委员会", "经济委", ("工商联", "经济界"),
                         "围绕经济运行、营商环境和重点项目建设组织调研视察和协商议政。"),
    SpecialCommitteePlan("农业农村委员会", "农业农村委", ("农业界", "妇联"),
                         "围绕乡村振兴、农业产业和农村人居环境组织调研视察和民主监督。"),
    SpecialCommitteePlan("科教文卫体委员会", "科教文卫体委", ("科协", "文艺界", "科技界", "教育界", "体育界", "医卫界"),
                         "围绕教育、科技、文化、卫生健康和体育事业组织调研视察和协商议政。"),
    SpecialCommitteePlan("社会和法制委员会", "社会和法制委", ("共青团", "工会", "少数民族界", "宗教界", "特别邀请人士"),
                         "围绕社会治理、民生保障、民族宗教和法治建设组织调研视察和民主监督。"),
    SpecialCommitteePlan("文史和学习委员会", "文史和学习委", ("中共", "台联", "侨联", "社科界"),
                         "负责文史资料征集编研和委员学习培训，联系港澳台侨工作。"),
)

# --- Leaders and handling units -----------------------------------------------------------------------------

ORGAN = Leader.Organ
# (key, title, organ). The keys are how units name their responsible leader below.
LEADERS: tuple[tuple[str, str, str], ...] = (
    ("secretary", "县委书记", ORGAN.PARTY_COMMITTEE),
    ("governor", "县长", ORGAN.GOVERNMENT),
    ("deputy_secretary", "县委副书记", ORGAN.PARTY_COMMITTEE),
    ("npc", "县人大常委会主任", ORGAN.PEOPLES_CONGRESS),
    ("cppcc", "县政协主席", ORGAN.CPPCC),
    ("executive", "常务副县长", ORGAN.GOVERNMENT),
    ("organisation", "县委常委、组织部部长", ORGAN.PARTY_COMMITTEE),
    ("propaganda", "县委常委、宣传部部长", ORGAN.PARTY_COMMITTEE),
    ("united_front", "县委常委、统战部部长", ORGAN.PARTY_COMMITTEE),
    ("politics_law", "县委常委、政法委书记", ORGAN.PARTY_COMMITTEE),
    ("urban", "副县长", ORGAN.GOVERNMENT),
    ("agriculture", "副县长", ORGAN.GOVERNMENT),
    ("education", "副县长", ORGAN.GOVERNMENT),
    ("civil", "副县长", ORGAN.GOVERNMENT),
    ("police", "副县长、县公安局局长", ORGAN.GOVERNMENT),
)


class UnitPlan(NamedTuple):
    name: str
    short_name: str
    kind: str
    leader: str
    duties: str


K = HandlingUnit.Kind
UNITS: tuple[UnitPlan, ...] = (
    UnitPlan("县委组织部", "", K.PARTY_DEPT, "organisation",
             "负责全县干部队伍、基层党组织和人才工作。承办干部培养使用、村级组织建设和人才引进方面的提案。"),
    UnitPlan("县委宣传部", "", K.PARTY_DEPT, "propaganda",
             "负责宣传思想和精神文明建设。承办文明城市创建、网络生态治理和公共文化宣传方面的提案。"),
    UnitPlan("县委统战部", "", K.PARTY_DEPT, "united_front",
             "负责统一战线工作，联系民主党派、无党派人士、非公有制经济人士和民族宗教界人士。承办统战和民族宗教方面的提案。"),
    UnitPlan("县委政法委员会", "县委政法委", K.PARTY_DEPT, "politics_law",
             "负责统筹政法工作和平安建设。承办社会治安综合治理、矛盾纠纷化解和网格化管理方面的提案。"),
    UnitPlan("县委机构编制委员会办公室", "县委编办", K.PARTY_DEPT, "organisation",
             "负责机构编制管理。承办部门职能调整、事业单位改革和编制配备方面的提案。"),
    UnitPlan("县发展和改革局", "县发改局", K.GOVERNMENT_DEPT, "executive",
             "负责国民经济和社会发展规划、重大项目谋划和投资管理，兼管粮食储备和价格工作。承办项目建设和物价方面的提案。"),
    UnitPlan("县教育局", "", K.GOVERNMENT_DEPT, "education",
             "负责学前教育、义务教育、高中和职业教育的规划与管理。承办学校布局、师资队伍、学生资助和校园安全方面的提案。"),
    UnitPlan("县科学技术局", "县科技局", K.GOVERNMENT_DEPT, "education",
             "负责科技创新、科技成果转化和科技人才工作。承办农业科技推广和企业研发方面的提案。"),
    UnitPlan("县工业和信息化局", "县工信局", K.GOVERNMENT_DEPT, "executive",
             "负责工业经济运行、中小企业发展和信息化建设。承办工业园区、中小企业纾困和5G网络覆盖方面的提案。"),
    UnitPlan("县公安局", "", K.GOVERNMENT_DEPT, "police",
             "负责社会治安、道路交通管理和户籍管理。承办交通安全、电信网络诈骗防范和治安防控方面的提案。"),
    UnitPlan("县民政局", "", K.GOVERNMENT_DEPT, "civil",
             "负责社会救助、养老服务、儿童福利、婚姻登记和殡葬管理。承办低保、特困供养和农村互助养老方面的提案。"),
    UnitPlan("县司法局", "", K.GOVERNMENT_DEPT, "police",
             "负责法治政府建设、普法宣传、人民调解和公共法律服务。承办法律援助和基层法治方面的提案。"),
    UnitPlan("县财政局", "", K.GOVERNMENT_DEPT, "executive",
             "负责预算编制执行、政府债务和国有资产管理。承办财政资金保障和惠民惠农补贴发放方面的提案。"),
    UnitPlan("县人力资源和社会保障局", "县人社局", K.GOVERNMENT_DEPT, "executive",
             "负责就业创业、社会保险、劳动关系和人才队伍建设。承办农民工就业、欠薪治理和养老保险方面的提案。"),
    UnitPlan("县自然资源局", "", K.GOVERNMENT_DEPT, "urban",
             "负责国土空间规划、土地利用和矿产资源管理。承办耕地保护、农村宅基地和不动产登记方面的提案。"),
    UnitPlan("市生态环境局示范分局", "县生态环境分局", K.GOVERNMENT_DEPT, "urban",
             "负责全县生态环境监管。承办大气、水、土壤污染防治和畜禽养殖污染治理方面的提案。"),
    UnitPlan("县住房和城乡建设局", "县住建局", K.GOVERNMENT_DEPT, "urban",
             "负责城乡建设管理、房地产市场和建筑业监管。承办老旧小区改造、保障性住房和农村危房改造方面的提案。"),
    UnitPlan("县交通运输局", "", K.GOVERNMENT_DEPT, "urban",
             "负责公路建设养护和道路运输管理。承办农村公路、城乡公交和县乡村三级物流体系方面的提案。"),
    UnitPlan("县水务局", "", K.GOVERNMENT_DEPT, "agriculture",
             "负责水资源管理、水利工程建设和防汛抗旱。承办农村饮水安全、渭河支流治理和农田灌溉方面的提案。"),
    UnitPlan("县农业农村局", "", K.GOVERNMENT_DEPT, "agriculture",
             "负责农业产业发展、农村改革和乡村建设，巩固拓展脱贫攻坚成果。承办乡村振兴、蔬菜和果品产业方面的提案。"),
    UnitPlan("县商务局", "", K.GOVERNMENT_DEPT, "civil",
             "负责内外贸易、招商引资和电子商务发展。承办农产品流通、县域商业体系和电商进农村方面的提案。"),
    UnitPlan("县文化和旅游局", "县文旅局", K.GOVERNMENT_DEPT, "education",
             "负责公共文化服务、文物保护、非物质文化遗产和旅游产业。承办文旅融合、景区建设和秦腔传承方面的提案。"),
    UnitPlan("县卫生健康局", "县卫健局", K.GOVERNMENT_DEPT, "education",
             "负责医疗卫生服务体系、疾病预防控制、妇幼健康和老龄工作。承办县域医共体、村医队伍和健康服务方面的提案。"),
    UnitPlan("县退役军人事务局", "", K.GOVERNMENT_DEPT, "civil",
             "负责退役军人安置、优抚褒扬和服务保障。承办退役军人就业创业和权益维护方面的提案。"),
    UnitPlan("县应急管理局", "", K.GOVERNMENT_DEPT, "civil",
             "负责安全生产综合监管、防灾减灾救灾和应急救援。承办地质灾害防治和企业安全生产方面的提案。"),
    UnitPlan("县审计局", "", K.GOVERNMENT_DEPT, "governor",
             "负责财政收支和国有资金的审计监督。承办审计发现问题整改方面的提案。"),
    UnitPlan("县市场监督管理局", "县市场监管局", K.GOVERNMENT_DEPT, "civil",
             "负责市场主体登记、食品药品安全、产品质量和价格监管。承办食品安全、消费维权和校园周边食品经营方面的提案。"),
    UnitPlan("县统计局", "", K.GOVERNMENT_DEPT, "executive",
             "负责统计调查和统计数据发布。承办统计监测和数据质量方面的提案。"),
    UnitPlan("县医疗保障局", "县医保局", K.GOVERNMENT_DEPT, "executive",
             "负责医疗保险、医疗救助和医药价格管理。承办医保报销、异地就医和门诊慢特病方面的提案。"),
    UnitPlan("县林业和草原局", "县林草局", K.GOVERNMENT_DEPT, "agriculture",
             "负责林草资源保护、国土绿化和森林草原防火。承办造林绿化、林下经济和草原生态保护方面的提案。"),
    UnitPlan("县城市管理综合执法局", "县城管局", K.GOVERNMENT_DEPT, "urban",
             "负责市容环境卫生、市政设施和城市管理综合执法。承办停车管理、占道经营和生活垃圾分类方面的提案。"),
    UnitPlan("县民族宗教事务局", "县民宗局", K.GOVERNMENT_DEPT, "united_front",
             "负责民族团结进步创建和宗教事务依法管理。承办少数民族聚居村发展和宗教活动场所管理方面的提案。"),
    UnitPlan("县信访局", "", K.GOVERNMENT_DEPT, "civil",
             "负责群众来信来访的受理、交办和督查督办。承办信访突出问题化解方面的提案。"),
    UnitPlan("县政务服务中心", "", K.GOVERNMENT_DEPT, "civil",
             "负责政务服务事项集中办理和一网通办。承办审批服务便民化和优化营商环境方面的提案。"),
    UnitPlan("国家税务总局示范县税务局", "县税务局", K.GOVERNMENT_DEPT, "executive",
             "负责税费征收管理和纳税服务。承办减税降费政策落实和办税便利化方面的提案。"),
    UnitPlan("县人民法院", "县法院", K.COURT, "politics_law",
             "依法审理各类案件并执行生效裁判。承办诉讼服务、执行难和矛盾纠纷多元化解方面的提案。"),
    UnitPlan("县人民检察院", "县检察院", K.PROCURATORATE, "politics_law",
             "依法履行法律监督职责。承办公益诉讼、未成年人检察和司法救助方面的提案。"),
    UnitPlan("县总工会", "", K.PEOPLES_ORG, "deputy_secretary",
             "负责职工权益维护和职工服务。承办职工技能提升、户外劳动者驿站和困难职工帮扶方面的提案。"),
    UnitPlan("共青团示范县委员会", "团县委", K.PEOPLES_ORG, "deputy_secretary",
             "负责青少年思想引领、青年创业就业和志愿服务。承办青少年成长和返乡青年创业方面的提案。"),
    UnitPlan("县妇女联合会", "县妇联", K.PEOPLES_ORG, "deputy_secretary",
             "负责妇女儿童权益保障和家庭家教家风建设。承办妇女就业、留守儿童关爱和反家庭暴力方面的提案。"),
    UnitPlan("县工商业联合会", "县工商联", K.PEOPLES_ORG, "united_front",
             "负责联系服务非公有制经济人士和商会。承办民营企业发展和营商环境方面的提案。"),
    UnitPlan("县科学技术协会", "县科协", K.PEOPLES_ORG, "education",
             "负责科学普及、科技工作者服务和学会建设。承办全民科学素质提升方面的提案。"),
    UnitPlan("县残疾人联合会", "县残联", K.PEOPLES_ORG, "civil",
             "负责残疾人康复、教育、就业和权益保障。承办无障碍环境建设和残疾人托养方面的提案。"),
    UnitPlan("县文学艺术界联合会", "县文联", K.PEOPLES_ORG, "propaganda",
             "负责联系服务文艺工作者和组织文艺创作。承办群众文艺和地方文化传承方面的提案。"),
    UnitPlan("国网示范县供电公司", "县供电公司", K.ENTERPRISE, "urban",
             "负责全县电网建设运行和供电服务。承办农村电网改造、供电可靠性和分布式光伏接入方面的提案。"),
    UnitPlan("县融媒体中心", "", K.ENTERPRISE, "propaganda",
             "负责县级媒体融合和新闻宣传。承办政务信息发布和新闻舆论方面的提案。"),
    UnitPlan("示范县城市建设投资有限公司", "县城投公司", K.ENTERPRISE, "executive",
             "负责城市基础设施投资建设和国有资产运营。承办城市基础设施项目建设方面的提案。"),
    UnitPlan("县自来水公司", "", K.ENTERPRISE, "urban",
             "负责县城供水设施运营和供水服务。承办城区供水保障和老旧管网改造方面的提案。"),
    UnitPlan("中国电信示范县分公司", "县电信公司", K.ENTERPRISE, "civil",
             "负责通信网络建设和电信服务。承办农村宽带和山区移动信号覆盖方面的提案。"),
    *(
        UnitPlan(t.name, "", K.TOWNSHIP, "deputy_secretary",
                 f"负责本{t.name[-1]}经济社会发展、乡村振兴和基层治理；{t.feature}。承办涉及本{t.name[-1]}辖区的提案。")
        for t in TOWNSHIPS
    ),
)
EDUCATION_BUREAU = "县教育局"
