"""Telling people a run failed or the gate held the data back: log, file, and optionally mail/Slack.

The log line and the file under `reports/notifications/` always happen, so there is a
record even where no mail server exists (and in tests). E-mail and Slack are opt-in
through the environment, so no secret or address lives in the code:
`UW_NOTIFY_EMAIL` (+ `UW_SMTP_HOST`, `UW_SMTP_PORT`, `UW_NOTIFY_FROM`) and
`UW_NOTIFY_SLACK_WEBHOOK`. A notification that cannot be sent is logged, never raised:
it must not turn a blocked run into a failed one.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import urllib.request
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

log = logging.getLogger(__name__)

EMAIL_ENV = "UW_NOTIFY_EMAIL"
SLACK_ENV = "UW_NOTIFY_SLACK_WEBHOOK"
SMTP_HOST_ENV = "UW_SMTP_HOST"


def notification_path(reports_dir: Path, run_id: str) -> Path:
    return Path(reports_dir) / "notifications" / f"{run_id}.txt"


def notify(reports_dir: Path, run_id: str, event: str, lines: list[str]) -> Path:
    """Record (and, if configured, send) one notification; returns the file written."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    subject = f"[union-warehouse] {event}: run {run_id}"
    body = "\n".join([subject, f"at {stamp}", "", *lines, ""])
    path = notification_path(reports_dir, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(body + "\n")
    log.warning("%s — %s (see %s)", subject, "; ".join(lines[:2]), path)
    _send_email(subject, body)
    _send_slack(body)
    return path


def _send_email(subject: str, body: str) -> None:
    to = os.environ.get(EMAIL_ENV)
    host = os.environ.get(SMTP_HOST_ENV)
    if not to or not host:
        return
    message = EmailMessage()
    message["Subject"], message["To"] = subject, to
    message["From"] = os.environ.get("UW_NOTIFY_FROM", "union-warehouse@localhost")
    message.set_content(body)
    try:
        with smtplib.SMTP(host, int(os.environ.get("UW_SMTP_PORT", "25")), timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("notification e-mail to %s not sent: %s", to, exc)


def _send_slack(body: str) -> None:
    webhook = os.environ.get(SLACK_ENV)
    if not webhook:
        return
    request = urllib.request.Request(webhook, data=json.dumps({"text": body}).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - operator-configured URL
            pass
    except OSError as exc:
        log.error("Slack notification not sent: %s", exc)
