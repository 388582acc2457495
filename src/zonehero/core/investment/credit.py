"""First-reporter protection (首报保护): in each group of duplicate leads only the earliest reporter is credited.

Referrer rewards go to the first referrer only, so the 全员招商 board counts credited leads alone; every other
figure counts all leads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from zonehero.core.investment.leads import Lead
from zonehero.core.investment.normalise import investor_key, natural_key


def lead_order(lead: Lead) -> tuple[object, ...]:
    """Earliest 报送日期 first; ties by the smallest 线索编号."""
    return (lead.reported_on, natural_key(lead.lead_id))


def duplicate_groups(leads: Sequence[Lead]) -> list[list[Lead]]:
    """The leads in groups of duplicates (a lead with no duplicate is a group of one), each group in
    :func:`lead_order`, groups in the order of their first lead.

    Two leads are duplicates when both have a credit code and the codes are equal, or, when either lacks one,
    their :func:`investor_key` names are equal. Groups are the chains of that relation: a lead without a code
    links every lead of its name, so 「A 公司 (code X)」, 「A 公司 (no code)」 and 「A 公司 (code Y)」 are one group
    although X and Y differ; two leads with different codes and no code-less lead between them are not.
    """
    parent = list(range(len(leads)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(members: list[int]) -> None:
        root = find(members[0])
        for other in members[1:]:
            parent[find(other)] = root

    by_code: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, lead in enumerate(leads):
        if lead.investor_uscc:
            by_code[lead.investor_uscc].append(i)
        by_name[investor_key(lead.investor)].append(i)
    for members in by_code.values():
        union(members)
    for members in by_name.values():
        if any(not leads[i].investor_uscc for i in members):
            union(members)
    groups: dict[int, list[Lead]] = defaultdict(list)
    for i, lead in enumerate(leads):
        groups[find(i)].append(lead)
    ordered = [sorted(group, key=lead_order) for group in groups.values()]
    return sorted(ordered, key=lambda group: lead_order(group[0]))


def credited_ids(leads: Sequence[Lead]) -> set[str]:
    """The 线索编号 of the credited lead of each group of duplicates among ``leads``."""
    return {group[0].lead_id for group in duplicate_groups(leads)}
