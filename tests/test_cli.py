"""The commands a newcomer runs: the terminal chat and the evaluation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], stdin: str, nlu_endpoint, database_url: str) -> subprocess.CompletedProcess:
    url, token = nlu_endpoint
    env = {**os.environ, "NLU_URL": url, "NLU_TOKEN": token or "", "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_terminal_chat_answers_in_arabic_and_numbers_choose_buttons(nlu_endpoint, database_url):
    result = run(
        ["-m", "bot", "chat", "--lang", "ar", "--now", "2026-11-19T14:30"],
        "/start\n3\nأريد أن أنتحر\n",
        nlu_endpoint,
        database_url,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1. " in out and "4. " in out  # the topic menu as numbered options
    assert "مرحبا" in out or "أهلا" in out or "أهلاً" in out
    assert "112" in out and "116 111" in out
    crisis_at = out.index("112")
    assert out.rfind("\n\n", 0, crisis_at) < crisis_at  # the numbers open the crisis reply


def test_terminal_an_idiom_is_answered_and_a_night_follow_up_after_a_crisis_gets_the_lines_open_now(
        nlu_endpoint, database_url):
    result = run(
        ["-m", "bot", "chat", "--lang", "en", "--now", "2026-11-21T02:30"],
        "this homework is killing me lol, when is the open guidance?\n"
        "I want to kill myself\n"
        "can anyone talk to me now?\n",
        nlu_endpoint,
        database_url,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    crisis_at, status_at = out.index("If you are in danger right now"), out.index("If it cannot wait, these answer now:")
    idiom, crisis, follow_up = out[:crisis_at], out[crisis_at:status_at], out[status_at:]
    assert "Open guidance:" in idiom and "112" not in idiom  # answered, no alarm
    assert "70 201 201" in crisis  # Livslinien for thoughts of suicide, its hours honestly unsure
    assert "116 111" in follow_up and "70 201 201" not in follow_up  # at 02:30 only lines open day and night


def test_terminal_chat_keeps_the_conversation_in_the_database(nlu_endpoint, database_url):
    run(["-m", "bot", "chat", "--user", "amal"], "hej\n", nlu_endpoint, database_url)
    result = run(["-m", "bot", "chat", "--user", "amal"], "ok\n", nlu_endpoint, database_url)
    assert result.returncode == 0, result.stderr
    import sqlite3

    path = database_url.split("///", 1)[1]
    count = sqlite3.connect(path).execute("select count(*) from messages").fetchone()[0]
    assert count == 4


def test_evaluation_prints_figures_per_language_and_json_last(nlu_endpoint, database_url, tmp_path):
    csv = tmp_path / "mini.csv"
    csv.write_text(
        "text,lang,topic\n"
        "hvornår er der åben vejledning i beboerhuset,da,opening_hours\n"
        "i want to kill myself,en,crisis\n"
        "كيف ألاقي شغل fritidsjob وأنا عمري 14,ar,leisure_job\n",
        encoding="utf-8",
    )
    result = run(["-m", "nlu.evaluate", str(csv)], "", nlu_endpoint, database_url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert {"overall", "by_lang", "crisis_recall", "false_crisis_rate"} <= set(figures)
    assert set(figures["by_lang"]) == {"da", "en", "ar"}
    assert figures["by_lang"]["en"] == {"topic_accuracy": 1.0, "lang_accuracy": 1.0, "lang_accuracy_worded": 1.0,
                                        "n": 1, "crisis_recall": 1.0, "false_crisis_rate": 0.0}
    assert figures["crisis_recall"] == 1.0 and figures["false_crisis_rate"] == 0.0
    assert any(line.startswith("da ") for line in lines)


def test_evaluation_rejects_a_bad_file_with_the_line_and_the_fix(nlu_endpoint, database_url, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("text,lang,topic\nhej,da,weather\n", encoding="utf-8")
    result = run(["-m", "nlu.evaluate", str(csv)], "", nlu_endpoint, database_url)
    assert result.returncode != 0
    assert "bad.csv:2" in result.stderr and "weather" in result.stderr


def test_run_without_a_telegram_token_is_a_terminal_chat(nlu_endpoint, database_url):
    url, token = nlu_endpoint
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update({"NLU_URL": url, "NLU_TOKEN": token or "", "DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": ""})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], input="/start\n", capture_output=True, text=True,
        env=env, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Broen" in result.stdout and "1. " in result.stdout


def test_content_check_passes_on_the_shipped_content(nlu_endpoint, database_url):
    result = run(["-m", "bot", "content", "check"], "", nlu_endpoint, database_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Content OK:")


def test_content_check_fails_on_a_site_file_typo_with_file_and_key(nlu_endpoint, database_url, tmp_path):
    site = tmp_path / "site.yml"
    shipped = (ROOT / "sites" / "example.yml").read_text(encoding="utf-8")
    site.write_text(shipped.replace("thursday:", "torsdag:"), encoding="utf-8")
    result = run(["-m", "bot", "content", "check", str(site)], "", nlu_endpoint, database_url)
    assert result.returncode == 1
    assert f"{site}: desks[0].weekly: unknown key(s) torsdag; allowed: friday, monday" in result.stderr


def test_two_terminals_play_the_whole_handoff(nlu_endpoint, database_url):
    """A newcomer without Telegram: one terminal is the young person, one is Heidi."""
    young = run(["-m", "bot", "chat", "--user", "amal", "--lang", "en", "--now", "2026-11-19T14:30"],
                "/help\n4\n3\n1\n", nlu_endpoint, database_url)
    assert young.returncode == 0, young.stderr
    assert "I am passing you on to Heidi Jensen" in young.stdout
    heidi = run(["-m", "bot", "chat", "--as", "heidi", "--now", "2026-11-19T14:35"],
                "1\nHi, this is Heidi. Come by on Thursday?\n/luk answered\n", nlu_endpoint, database_url)
    assert heidi.returncode == 0, heidi.stderr
    assert "[#1] Ny chat #1 til Heidi Jensen" in heidi.stdout  # the card, in the staff language
    assert "1. Tag den" in heidi.stdout
    back = run(["-m", "bot", "chat", "--user", "amal", "--lang", "en"], "", nlu_endpoint, database_url)
    assert "Heidi Jensen has taken your chat and will write to you here." in back.stdout
    assert "Heidi Jensen:\nHi, this is Heidi. Come by on Thursday?" in back.stdout
    assert "Heidi has closed the chat." in back.stdout


def test_playing_an_unknown_counsellor_says_who_is_known(nlu_endpoint, database_url):
    result = run(["-m", "bot", "chat", "--as", "nobody"], "", nlu_endpoint, database_url)
    assert result.returncode != 0
    assert "known: heidi, amina, emre" in result.stderr
