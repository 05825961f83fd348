"""Build lianluo/core/data/strokes.tsv, the offline stroke table behind 按姓氏笔画排序.

Inputs (both fetched once by hand, from package registries, not at run time):
  * cnchar-order (npm, MIT): the stroke order of ~6,900 common characters, one letter a stroke.
  * Unihan_IRGSources.txt.bz2 (Debian package unicode-data, Unicode licence): kTotalStrokes for
    every CJK character, used for characters cnchar-order does not cover (count only).

Output: one line a character, "char<TAB>count<TAB>order", where order is the GB 13000.1 stroke
classes 1 横 2 竖 3 撇 4 点 5 折 (empty when only the count is known).

    python tools/build_stroke_table.py node_modules/cnchar-order/cnchar.order.min.js \
        /usr/share/unicode/Unihan_IRGSources.txt.bz2 > lianluo/core/data/strokes.tsv
"""

import bz2
import json
import re
import sys

# cnchar's stroke letters → the five classes. 横/提 are 横; 竖/竖钩 are 竖; 撇 is 撇;
# 点/捺/点2 are 点; every stroke with a turn (折, 钩 with a turn, 弯, 斜钩 …) is 折.
CLASS_OF_LETTER = {"j": "1", "i": "1", "f": "2", "g": "2", "s": "3", "k": "4", "l": "4", "d": "4"}


def main(cnchar_path: str, unihan_path: str) -> None:
    with open(cnchar_path, encoding="utf-8") as js:
        source = js.read()
    found = re.search(r"JSON\.parse\('(\{.*?\})'\)", source)
    if found is None:
        raise SystemExit("no stroke data found in " + cnchar_path)
    orders = json.loads(found.group(1))
    counts: dict[str, int] = {}
    with bz2.open(unihan_path, "rt", encoding="utf-8") as unihan:
        for line in unihan:
            if "\tkTotalStrokes\t" in line:
                code, _, value = line.rstrip("\n").split("\t")
                char = chr(int(code[2:], 16))
                if 0x3400 <= ord(char) <= 0x9FFF:
                    counts[char] = int(value.split()[0])
    out = sys.stdout
    for char in sorted(set(counts) | set(orders)):
        if char in orders:
            order = "".join(CLASS_OF_LETTER.get(letter, "5") for letter in orders[char])
            out.write(f"{char}\t{len(order)}\t{order}\n")
        else:
            out.write(f"{char}\t{counts[char]}\t\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
