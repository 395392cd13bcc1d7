"""Standard seed data for a new committee: the 23 sectors of a county committee (Langzhong's list, §1.1
[S73]) and the staff and supervising offices. Committees edit them freely afterwards."""

from __future__ import annotations

from xieshang.organisation.models import Office, Sector

C = Sector.Category
STANDARD_SECTORS: tuple[tuple[str, str, str], ...] = (
    ("01", "中共", C.PARTY),
    ("02", "民革", C.PARTY),
    ("03", "民盟", C.PARTY),
    ("04", "民进", C.PARTY),
    ("05", "无党派人士", C.PARTY),
    ("06", "共青团", C.PEOPLES_ORG),
    ("07", "工会", C.PEOPLES_ORG),
    ("08", "妇联", C.PEOPLES_ORG),
    ("09", "工商联", C.PEOPLES_ORG),
    ("10", "科协", C.PEOPLES_ORG),
    ("11", "台联", C.PEOPLES_ORG),
    ("12", "侨联", C.PEOPLES_ORG),
    ("13", "文艺界", C.SOCIAL),
    ("14", "科技界", C.SOCIAL),
    ("15", "社科界", C.SOCIAL),
    ("16", "经济界", C.SOCIAL),
    ("17", "农业界", C.SOCIAL),
    ("18", "教育界", C.SOCIAL),
    ("19", "体育界", C.SOCIAL),
    ("20", "医卫界", C.SOCIAL),
    ("21", "少数民族界", C.SOCIAL),
    ("22", "宗教界", C.SOCIAL),
    ("23", "特别邀请人士", C.SPECIALLY_INVITED),
)

K = Office.Kind
STANDARD_OFFICES: tuple[tuple[str, str], ...] = (
    (K.GENERAL_OFFICE, "办公室"),
    (K.PROPOSAL_OFFICE, "提案委员会"),
    (K.INFORMATION_CENTRE, "信息中心"),
    (K.PARTY_SUPERVISION, "县委督查室"),
    (K.GOVERNMENT_SUPERVISION, "县政府督查室"),
)


