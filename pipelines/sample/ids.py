"""Identifiers and names that look like the real thing.

Tax codes carry the check digit of seed/README.md and citizen ids the century/sex
digit, so the generated data exercises E001/E008 only where a defect is injected.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_check_digit(first9: str) -> int | None:
    """None when the weighted sum gives 10: no valid code has those nine digits."""
    total = sum(int(d) * w for d, w in zip(first9, TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return check if 0 <= check <= 9 else None


def is_valid_tax_code(code: str) -> bool:
    main = code.split("-")[0]
    if len(main) != 10 or not main.isdigit():
        return False
    return tax_check_digit(main[:9]) == int(main[9])


def new_tax_code(rng: random.Random, used: set[str]) -> str:
    while True:
        first9 = "02" + "".join(rng.choice("0123456789") for _ in range(7))
        check = tax_check_digit(first9)
        code = f"{first9}{check}"
        if check is not None and code not in used:
            used.add(code)
            return code


def citizen_id(rng: random.Random, birth: dt.date, female: bool, used: set[str]) -> str:
    century = 0 if birth.year < 2000 else 2
    prefix = f"031{century + int(female)}{birth.year % 100:02d}"
    while True:
        cid = prefix + f"{rng.randrange(10**6):06d}"
        if cid not in used:
            used.add(cid)
            return cid


def citizen_id_agrees(cid: str, birth: dt.date, female: bool) -> bool:
    if len(cid) != 12 or not cid.isdigit():
        return False
    century = 0 if birth.year < 2000 else 2
    return int(cid[3]) == century + int(female) and cid[4:6] == f"{birth.year % 100:02d}"


SURNAMES = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 5),
    ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2), ("Ngô", 2), ("Dương", 2),
    ("Lý", 1), ("Phan", 3), ("Đinh", 1), ("Mai", 1), ("Lương", 1), ("Tô", 1),
)
MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân", "Trọng", "Tiến", "Công")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Phương", "Hồng", "Minh", "Kim")
GIVEN_MALE = (
    "Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Trung",
    "Phong", "Quân", "Huy", "Khánh", "Tùng", "Đạt", "Hiếu", "Thịnh", "Việt", "Duy",
)
GIVEN_FEMALE = (
    "Hương", "Lan", "Hạnh", "Trang", "Linh", "Ngọc", "Huyền", "Thảo", "Hà", "Mai",
    "Nhung", "Yến", "Oanh", "Thủy", "Phượng", "Loan", "Quỳnh", "Vân", "Dung", "Giang",
)


def person_name(rng: random.Random, female: bool) -> str:
    names, weights = zip(*SURNAMES, strict=True)
    surname = rng.choices(names, weights)[0]
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{surname} {middle} {given}"


def phone(rng: random.Random) -> str:
    prefix = rng.choice(("090", "091", "098", "097", "086", "035", "083", "070"))
    digits = prefix + f"{rng.randrange(10**7):07d}"
    style = rng.randrange(3)
    if style == 0:
        return digits
    if style == 1:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


BRAND_PARTS = {
    "Hàn Quốc": (("Dae", "Han", "Seo", "Woo", "Kwang", "Young", "Hyo", "Sam"),
                 ("sung", "jin", "won", "il", "dong", "kyung", "hwa", "bo")),
    "Nhật Bản": (("Taka", "Nishi", "Yama", "Moto", "Kawa", "Hoshi", "Mitsu", "Oka"),
                 ("moto", "hara", "da", "shima", "no", "zaki", "kura", "ta")),
    "Trung Quốc": (("Hua", "Xin", "Long", "Feng", "Jin", "Tian", "Hong", "Bao"),
                   ("da", "xing", "sheng", "tai", "an", "yuan", "li", "hua")),
    "Đài Loan": (("Tai", "Ching", "Yu", "Wei", "Kai", "Chen"), ("hung", "feng", "lin", "ming", "da")),
    "Singapore": (("Asia", "Pacific", "Straits", "Lion", "Merlion"), ("tech", "link", "corp", "star")),
    "Hoa Kỳ": (("Allied", "Summit", "Liberty", "Eagle", "Pioneer"), (" Tech", " Works", " Systems")),
    "Hồng Kông": (("Kowloon", "Victoria", "Harbour"), (" Pacific", " Industries", " Trading")),
    "Đức": (("Rhein", "Berg", "Nord", "Adler"), ("tec", "werk", "mann")),
    "Thái Lan": (("Siam", "Chao", "Rattana"), (" Industrial", " Plastics", " Steel")),
}
INDUSTRIES = (
    "Điện tử", "Cơ khí", "May mặc", "Nhựa", "Bao bì", "Logistics", "Thép", "Linh kiện",
    "Hóa chất", "Thực phẩm", "Vật liệu mới", "Công nghệ", "Kỹ thuật", "Giày da", "Sợi",
    "Cao su", "Năng lượng", "Dược phẩm", "Thiết bị y tế", "Kính quang học",
)
VN_WORDS = ("Hải Long", "Bạch Đằng", "Cát Bi", "Đông Hải", "Hồng Bàng", "Tân Cảng", "Lạch Tray",
            "Phương Đông", "Sao Đỏ", "Thành Tô", "Hòa Bình", "An Phát", "Minh Đức", "Việt Hưng")
FORMS_FDI = ("Việt Nam", "Vina", "Hải Phòng", "Việt Nam Hải Phòng")
FORMS_VN = ("Công ty Cổ phần", "Công ty TNHH", "Công ty TNHH MTV")


def company_name(rng: random.Random, country: str, used: set[str]) -> str:
    for attempt in range(200):
        industry = rng.choice(INDUSTRIES)
        if country in BRAND_PARTS:
            heads, tails = BRAND_PARTS[country]
            brand = rng.choice(heads) + rng.choice(tails)
            name = f"Công ty TNHH {industry} {brand} {rng.choice(FORMS_FDI)}"
        else:
            name = f"{rng.choice(FORMS_VN)} {industry} {rng.choice(VN_WORDS)}"
        if attempt > 100:
            name += f" {attempt - 99}"
        if name not in used:
            used.add(name)
            return name
    # Large scales (hundreds of copies) can fill the drawn names: number the last draw.
    for number in itertools.count(101):
        if (numbered := f"{name.rsplit(' ', 1)[0]} {number}") not in used:
            used.add(numbered)
            return numbered
    raise AssertionError("unreachable")
