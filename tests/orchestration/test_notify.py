"""Notifications leave a file and a log line; mail and Slack stay off unless configured."""

from pipelines.orchestration.notify import notification_path, notify


def test_notify_writes_a_file_under_reports(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("UW_NOTIFY_EMAIL", raising=False)
    monkeypatch.delenv("UW_NOTIFY_SLACK_WEBHOOK", raising=False)
    path = notify(tmp_path, "run-1", "publishing blocked by the gate", ["gate: blocked (C001)", "quarter: 2022-Q3"])
    assert path == notification_path(tmp_path, "run-1") == tmp_path / "notifications" / "run-1.txt"
    text = path.read_text()
    assert "publishing blocked by the gate" in text and "quarter: 2022-Q3" in text
    assert "run-1" in caplog.text
