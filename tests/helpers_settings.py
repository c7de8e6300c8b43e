"""The Organisation Settings form as an administrator fills it in, with the changes a test makes."""


def settings(**changes):
    values = {
        "name": "Wycombe Example Connection",
        "short_name": "WHC",
        "contact_email": "help@example.org",
        "contact_phone": "01234 567890",
        "contact_hours": "",
        "timezone": "Europe/London",
        "terms_text": "",
        "privacy_text": "",
        "session_timeout": "30",
        "retention_years": "3",
        "deadline_reminder_days": "3",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}
