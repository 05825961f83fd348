"""Reference data for the synthetic registry (`manage.py seed`, `manage.py demo`).

Real where the real thing is public and stable: the 34 sectors of the 14th National Committee,
the typical sectors and special committees of local committees, the democratic parties and
people's organizations, government departments that answer proposals, the 31 provincial-level
divisions with their GB/T 2260 codes, the prefectures of Hunan, surnames by frequency. Everything
else (most prefecture and county names, companies, schools) is made up from these parts.

Modules: `regions` (divisions, ethnic make-up), `sectors` (sectors and seat shares),
`organizations` (special committees, parties and groups, handling units, offices), `names`
(surnames, given-name characters, minority names), `work` (workplaces and titles by sector).
"""
