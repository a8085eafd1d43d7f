"""Care (民生保障): livelihood requests of residents in sealed and controlled zones
(``requests``), volunteers, care needs and one-to-one pairings (``volunteers``), and
responsibility teams with their communities, visits and hazards (``teams``).

Why a domain of its own: these are service requests that community workers and volunteers
carry out for residents, tracked from asking to done against a deadline. They are not
inspections (``supervision`` judges property companies and communities), not control
measures (``arrivals.zones`` decides who is sealed in; this domain only reads that), and not
records of people (``people`` keeps the registry and its flags; the needs the flags lack,
bedridden and dialysis, are kept here). See ``docs/care.md``.
"""
