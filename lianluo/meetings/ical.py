"""iCalendar (RFC 5545) text of a member's meetings, written by hand: CRLF line ends, lines
folded at 75 octets (never inside a UTF-8 character), TEXT values escaped, times in UTC."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from lianluo.meetings.models import Invitation, Meeting

PRODID = "-//Lianluo//Meetings//ZH"


def escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, new lines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, continued with CRLF + space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current = ""
            size = 1  # the leading space of a continuation line
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(
    invitation: Invitation, *, stamp: datetime.datetime, domain: str, base_url: str
) -> list[str]:
    meeting: Meeting = invitation.meeting
    status = "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
    description = meeting.agenda
    if invitation.status == Invitation.Status.OFFERED:
        description = f"{description}\n(报名参加)".strip()
    elif invitation.status == Invitation.Status.WAITLISTED:
        description = f"{description}\n(候补)".strip()
    organiser = str(meeting.organizer) if meeting.organizer else str(meeting.committee)
    description = f"{organiser}\n{description}".strip()
    return [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{domain}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(meeting.ends_at)}",
        f"SUMMARY:{escape(meeting.title)}",
        f"LOCATION:{escape(meeting.place)}",
        f"DESCRIPTION:{escape(description)}",
        f"CATEGORIES:{escape(str(meeting.get_kind_display()))}",
        f"STATUS:{status}",
        f"URL:{base_url}/meetings/{meeting.pk}/",
        f"LAST-MODIFIED:{utc(meeting.updated_at)}",
        "END:VEVENT",
    ]


def calendar(
    invitations: Iterable[Invitation],
    *,
    name: str,
    domain: str,
    base_url: str,
    stamp: datetime.datetime,
) -> str:
    """A VCALENDAR with one VEVENT per invitation, as RFC 5545 text."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for invitation in invitations:
        lines.extend(_event(invitation, stamp=stamp, domain=domain, base_url=base_url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
