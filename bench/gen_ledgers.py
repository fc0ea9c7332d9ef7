#!/usr/bin/env python3
"""Generates the inputs of bench/peers.sh: three files of about the same size.

    ledger.beancount  10,000 transactions, 1,000 `balance` assertions, one broken
    ledger.journal    the same ledger for hledger, `= BAL` posting assertions
    report.gdr        a table-heavy .gdr report with 1,000 checks, one failing

Usage: gen_ledgers.py OUTDIR [--transactions N] [--assertions N] [--checks N]

Everything is deterministic (a fixed seed), so two runs write the same bytes.

The ledgers: 5 accounts, CNY amounts with 2 decimals, Chinese payees and
narrations. Every transaction moves money between Assets:Bank and one of the
four other accounts; the transactions of one day are followed by one balance
assertion on Assets:Bank. beancount checks a `balance` directive at the start
of its day, so it is dated the day *after*; hledger asserts the balance after
the posting that carries `= BAL`, the bank posting of the day's last
transaction. Assertion number `assertions // 2` is off by 1.00 CNY.

The report: one section per check, each holding a prose paragraph that
interpolates table cells and a 7-column × 10-row table of the official
“收到和处理政府信息公开申请情况” shape (a column group, a derived 总计 column,
a row group with a derived 总计 row, `auto` cells) whose check
`新收 + 上年结转 == 总计 + 结转下年` holds, except in table `checks // 2`,
whose 结转下年[自然人] is one too many. The paragraph is padded so that the
report is about as large as the two ledgers.
"""

import argparse
import datetime
import os
import random

ACCOUNTS = ["Assets:Bank", "Expenses:Office", "Expenses:Travel", "Income:Grants", "Liabilities:Card"]
PAYEES = ["新乡市财政局", "平原示范区管委会", "办公用品商店", "市民之家食堂", "中国移动", "长途汽车站", "印刷厂", "物业公司"]
ITEMS = ["采购办公用品", "差旅费报销", "专项资金拨付", "会议室租赁", "信息公开专栏维护", "政务热线话费", "档案印刷", "物业服务费"]


def ledgers(transactions, assertions, rng):
    """Returns (beancount text, hledger text)."""
    per_day = transactions // assertions
    broken = assertions // 2
    start = datetime.date(2021, 1, 1)
    bean = [
        'option "title" "平原示范区 基准账本"',
        'option "operating_currency" "CNY"',
        "",
    ]
    for account in ACCOUNTS:
        bean.append(f"2020-12-31 open {account} CNY")
    bean.append("")
    journal = ["; 平原示范区 基准账本", "commodity 1,000.00 CNY", ""]
    for account in ACCOUNTS:
        journal.append(f"account {account}")
    journal.append("")

    balance = 0  # in fen, exact
    number = 0
    for day in range(assertions):
        date = start + datetime.timedelta(days=day)
        for index in range(per_day if day < assertions - 1 else transactions - per_day * (assertions - 1)):
            number += 1
            other = ACCOUNTS[1 + rng.randrange(4)]
            fen = rng.randrange(100, 500_000)
            # Income flows into the bank, everything else out of it.
            bank = fen if other.startswith("Income") else -fen
            balance += bank
            payee = rng.choice(PAYEES)
            with_payee = number % 4 == 0
            item = f"{rng.choice(ITEMS)}第{number}号"
            last = index == per_day - 1 or (day == assertions - 1 and number == transactions)
            bean.append(f'{date} * "{payee}" "{item}"' if with_payee else f'{date} * "{item}"')
            bean.append(f"  {other}  {money(-bank)} CNY")
            bean.append("  Assets:Bank")
            bean.append("")
            journal.append(f"{date} * {payee} | {item}" if with_payee else f"{date} * {item}")
            journal.append(f"    {other}  {money(-bank)} CNY")
            if last:
                # An asserted posting states its amount: without one, hledger
                # would take `= BAL` as a balance assignment, which cannot fail.
                stated = balance + (100 if day == broken else 0)
                journal.append(f"    Assets:Bank  {money(bank)} CNY = {money(stated)} CNY")
            else:
                journal.append("    Assets:Bank")
            journal.append("")
        stated = balance + (100 if day == broken else 0)
        bean.append(f"{date + datetime.timedelta(days=1)} balance Assets:Bank {money(stated)} CNY")
        bean.append("")
    return "\n".join(bean) + "\n", "\n".join(journal) + "\n"


def money(fen):
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


COLUMNS = "自然人 法人或其他组织 { 商业企业 科研机构 社会公益组织 法律服务机构 其他 } 总计 = sum(自然人, 法人或其他组织)"
HANDLED = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
FILLER = "本机关坚持以公开为常态、不公开为例外，认真做好政府信息依申请公开工作，依法保障人民群众的知情权、参与权和监督权。"


def report(checks, target_size, rng):
    """A table-heavy report with `checks` checks, one failing, padded to about target_size bytes."""
    broken = checks // 2

    def section(index, padding):
        leaves = 6
        handled = [[rng.randrange(0, 30) for _ in range(leaves)] for _ in HANDLED]
        carried = [rng.randrange(0, 5) for _ in range(leaves)]
        total = [sum(row[c] for row in handled) + carried[c] for c in range(leaves)]
        previous = [rng.randrange(0, t + 1) for t in total]
        new = [t - p for t, p in zip(total, previous)]
        if index == broken:
            carried = [carried[0] + 1] + carried[1:]

        def cells(values):
            return "[" + ", ".join(str(v) for v in values) + ", auto]"

        lines = [
            f'section "第{index + 1}部分" {{',
            f'  "新收{{申请{index}.新收[总计]}}，办结{{申请{index}.办理.总计[总计]}}。{FILLER[:padding]}"',
            f'  table 申请{index} "三、收到和处理政府信息公开申请情况" {{',
            "    unit 件",
            f"    columns {{ {COLUMNS} }}",
            "    rows {",
            f"      新收 {cells(new)}",
            f"      上年结转 {cells(previous)}",
            "      办理 {",
        ]
        for name, values in zip(HANDLED, handled):
            lines.append(f"        {name} {cells(values)}")
        lines += [
            "        总计 [auto, auto, auto, auto, auto, auto, auto] = sum(办理)",
            "      }",
            f"      结转下年 {cells(carried)}",
            "    }",
            "    check 新收 + 上年结转 == 总计 + 结转下年",
            "  }",
            "}",
            "",
        ]
        return "\n".join(lines)

    header = (
        "// Generated by bench/gen_ledgers.py: a table-heavy report for bench/peers.sh.\n"
        f"// {checks} checks; the check of table 申请{broken} fails (结转下年[自然人] is one too many).\n"
        "report {\n"
        '  title     "基准测试2021年度政府信息公开工作年度报告"\n'
        '  agency    "基准测试局"\n'
        "  year      2021\n"
        "  published 2022-01-20\n"
        "}\n\n"
    )
    # Measure one unpadded section to choose the padding (in characters of
    # FILLER, 3 bytes each) that brings the report to the target size.
    state = rng.getstate()
    base = len(section(1, 0).encode())
    rng.setstate(state)
    spare = max(0, target_size - len(header.encode()) - base * checks) // checks
    padding = min(len(FILLER), spare // 3)
    body = [header] + [section(index, padding) for index in range(checks)]
    return "".join(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--transactions", type=int, default=10_000)
    parser.add_argument("--assertions", type=int, default=1_000)
    parser.add_argument("--checks", type=int, default=1_000)
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    rng = random.Random(2021)
    bean, journal = ledgers(args.transactions, args.assertions, rng)
    target = (len(bean.encode()) + len(journal.encode())) // 2
    gdr = report(args.checks, target, rng)
    for name, text in [("ledger.beancount", bean), ("ledger.journal", journal), ("report.gdr", gdr)]:
        path = os.path.join(args.outdir, name)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"{path}: {len(text.encode()):,} bytes, {text.count(chr(10)):,} lines")


if __name__ == "__main__":
    main()
