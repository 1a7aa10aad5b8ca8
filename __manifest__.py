{
    "name": "Social Work Schemes",
    "summary": "Government social-work schemes (đề án): budget, procurement, "
    "disbursements and KPI targets",
    "version": "18.0.1.0.0",
    "category": "Services/Social Work Schemes",
    "author": "social_scheme developers",
    "website": "https://github.com/social-scheme/social_scheme",
    "license": "LGPL-3",
    "depends": ["project", "mail"],
    "external_dependencies": {"python": ["xlsxwriter", "num2words"]},
    "data": [],
    "demo": [],
    "application": True,
    "installable": True,
}
