"""iCalendar (RFC 5545) feeds of reception days, written by hand: CRLF line endings, text
escaping, lines folded at 75 octets, local times with TZID=Asia/Shanghai and its VTIMEZONE."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TZID = "Asia/Shanghai"
PRODID = "-//Lianluo//Liaison reception days//ZH"
CRLF = "\r\n"
UID_DOMAIN = "lianluo"

# China has kept UTC+8 without daylight saving since 1991.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19910915T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets (UTF-8), never inside a character;
    continuation lines start with one space (RFC 5545 3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current = ""
            size = 0
            limit = 74  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _local(value: datetime.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Event:
    """One VEVENT: local (Asia/Shanghai) start and end, plain-text fields."""

    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0
    last_modified: datetime.datetime | None = None


def calendar(
    events: Iterable[Event], *, name: str, stamp: datetime.datetime, description: str = ""
) -> str:
    """A VCALENDAR with `events`, ready to be served as text/calendar."""
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
    ]
    if description:
        lines.append(f"X-WR-CALDESC:{escape_text(description)}")
    lines.extend(VTIMEZONE)
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def _event_lines(event: Event, stamp: datetime.datetime) -> Sequence[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;TZID={TZID}:{_local(event.start)}",
        f"DTEND;TZID={TZID}:{_local(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{_utc(event.last_modified)}")
    lines.append("END:VEVENT")
    return lines
