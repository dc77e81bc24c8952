"""Settings from the environment: every bad value is refused with a message naming its
variable, and `pnbot` stops on it with one line and exit status 2."""

from __future__ import annotations

import io
import subprocess

import pytest
from support import clean_env, run_pnbot

from bot import config
from bot.config import ConfigError, load

SLACK_HTTP = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}


def refused(env: dict[str, str]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load(env=env)
    return caught.value


def assert_names(error: ConfigError, variable: str) -> None:
    assert error.variable == variable
    assert str(error).startswith(f"{variable}: ")


# defaults -----------------------------------------------------------------------------------


def test_an_empty_environment_gives_the_local_console_defaults():
    settings = load(env={})
    assert settings.database_url == config.DEFAULT_DATABASE_URL
    assert settings.transport == "console"
    assert settings.facilitators == frozenset()
    assert settings.default_tz == "UTC"
    assert settings.slack_bot_token is None
    assert settings.slack_api_url is None


def test_blank_values_count_as_unset():
    settings = load(env={"DATABASE_URL": "  ", "PNBOT_DEFAULT_TZ": "", "PNBOT_TRANSPORT": " "})
    assert (settings.database_url, settings.default_tz, settings.transport) == (
        config.DEFAULT_DATABASE_URL,
        "UTC",
        "console",
    )


# DATABASE_URL -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["not a database url", "://nothing", "sqlite:/:"])
def test_a_malformed_database_url_is_refused(value):
    error = refused({"DATABASE_URL": value})
    assert_names(error, "DATABASE_URL")
    assert "is not a database URL" in str(error)


@pytest.mark.parametrize(
    "value", ["mysql://pnbot@127.0.0.1/pnbot", "oracle://scott:tiger@db/orcl", "mssql://h/db"]
)
def test_an_unsupported_database_is_refused(value):
    error = refused({"DATABASE_URL": value})
    assert_names(error, "DATABASE_URL")
    assert "unsupported database" in str(error)
    assert "sqlite or postgresql" in str(error)


@pytest.mark.parametrize(
    "value",
    [
        "postgres ql://pnbot:pa55w0rd@db.example.org/pnbot",
        "postgresql//pnbot:pa55w0rd@db.example.org/pnbot",
        "pnbot:pa55w0rd@db.example.org/pnbot",
        "postgresql://pnbot:pa55w0rd@db.example.org:54x2/pnbot",
        "postgresql://pnbot:pa:55@w0rd@db.example.org:port/pnbot",
    ],
)
def test_a_refused_database_url_never_shows_its_password(value):
    error = refused({"DATABASE_URL": value})
    assert_names(error, "DATABASE_URL")
    assert "w0rd" not in str(error)
    assert "pnbot:***@db.example.org" in str(error)


@pytest.mark.parametrize(
    ("port", "problem"), [("5x32", "not a number"), ("", "not a number"), ("70000", "1-65535")]
)
def test_a_database_port_must_be_a_port_number(port, problem):
    error = refused({"DATABASE_URL": f"postgresql://pnbot@127.0.0.1:{port}/pnbot"})
    assert_names(error, "DATABASE_URL")
    assert problem in str(error)


def test_a_plain_postgresql_url_is_pinned_to_psycopg_3():
    settings = load(env={"DATABASE_URL": "postgresql://pnbot:pa55@127.0.0.1:5432/pnbot"})
    assert settings.database_url == "postgresql+psycopg://pnbot:pa55@127.0.0.1:5432/pnbot"


@pytest.mark.parametrize(
    "value",
    [
        "postgresql+psycopg://pnbot@127.0.0.1:5432/pnbot",
        "sqlite:///./data/pnbot.db",
        "sqlite:////var/lib/pnbot/pnbot.db",
        "sqlite://",
    ],
)
def test_a_supported_database_url_is_kept_as_given(value):
    assert load(env={"DATABASE_URL": value}).database_url == value


# PNBOT_TRANSPORT ----------------------------------------------------------------------------


def test_an_unknown_transport_is_refused():
    error = refused({"PNBOT_TRANSPORT": "telegram"})
    assert_names(error, "PNBOT_TRANSPORT")
    assert "'telegram'" in str(error)
    assert "auto, console, slack, matrix" in str(error)


def test_auto_picks_slack_when_a_bot_token_is_set():
    assert load(env={"PNBOT_TRANSPORT": "auto", **SLACK_HTTP}).transport == "slack"
    assert load(env=SLACK_HTTP).transport == "slack"


def test_auto_picks_the_console_without_a_bot_token():
    assert load(env={"PNBOT_TRANSPORT": "auto"}).transport == "console"
    assert load(env={"SLACK_SIGNING_SECRET": "s3cret"}).transport == "console"


def test_the_transport_name_is_case_insensitive():
    assert load(env={"PNBOT_TRANSPORT": "Console"}).transport == "console"


def test_an_explicit_console_transport_wins_over_a_slack_token():
    assert load(env={"PNBOT_TRANSPORT": "console", **SLACK_HTTP}).transport == "console"


MATRIX = {
    "MATRIX_HOMESERVER": "https://matrix.example.org",
    "MATRIX_USER_ID": "@pnbot:example.org",
    "MATRIX_ACCESS_TOKEN": "syt_token",
}


def test_auto_picks_every_platform_whose_credentials_are_set():
    both = load(env={**SLACK_HTTP, **MATRIX})
    assert (both.transport, both.transports) == ("slack,matrix", ("slack", "matrix"))
    assert load(env=MATRIX).transports == ("matrix",)
    assert load(env=SLACK_HTTP).transports == ("slack",)


@pytest.mark.parametrize("value", ["slack,matrix", "Matrix, slack", "slack,matrix,slack"])
def test_slack_and_matrix_run_together_from_a_comma_separated_list(value):
    settings = load(env={"PNBOT_TRANSPORT": value, **SLACK_HTTP, **MATRIX})
    assert settings.transports == ("slack", "matrix")


def test_each_platform_of_a_list_needs_its_own_credentials():
    assert_names(refused({"PNBOT_TRANSPORT": "slack,matrix", **SLACK_HTTP}), "MATRIX_HOMESERVER")
    assert_names(refused({"PNBOT_TRANSPORT": "slack,matrix", **MATRIX}), "SLACK_BOT_TOKEN")


@pytest.mark.parametrize("value", ["console,slack", "auto,matrix", "slack,console"])
def test_auto_and_the_console_do_not_run_beside_another_transport(value):
    error = refused({"PNBOT_TRANSPORT": value, **SLACK_HTTP, **MATRIX})
    assert_names(error, "PNBOT_TRANSPORT")
    assert "only slack and matrix run together" in str(error)


@pytest.mark.parametrize("value", ["slack,telegram", "slack,", "matrix;slack"])
def test_an_unknown_name_in_a_list_is_refused_by_name(value):
    error = refused({"PNBOT_TRANSPORT": value, **SLACK_HTTP, **MATRIX})
    assert_names(error, "PNBOT_TRANSPORT")
    assert "is not one of auto, console, slack, matrix" in str(error)
    assert "slack,matrix" in str(error)


def test_the_doctor_checks_both_platforms_of_a_list(tmp_path):
    from bot import doctor

    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pnbot.db'}",
        "PNBOT_TRANSPORT": "slack,matrix",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # nobody listens: the Slack check says so
        **SLACK_HTTP,
        **MATRIX,
    }
    out = io.StringIO()
    doctor.main(env=env, out=out)
    found = out.getvalue()
    assert "ok    transport: matrix, as @pnbot:example.org on https://matrix.example.org" in found
    assert "ok    transport: slack, in HTTP mode" in found
    assert "FIX   bot token: cannot reach Slack at http://127.0.0.1:9/api/" in found


# PNBOT_FACILITATORS -------------------------------------------------------------------------


def test_facilitators_are_a_comma_separated_list_of_ids():
    settings = load(env={"PNBOT_FACILITATORS": "U012AB3CD, alice ,@bob"})
    assert settings.facilitators == frozenset({"U012AB3CD", "alice", "bob"})


@pytest.mark.parametrize("value", ["alice,,bob", "alice,", ",alice", "alice, ,bob", "al ice"])
def test_blank_or_spaced_facilitator_ids_are_refused(value):
    error = refused({"PNBOT_FACILITATORS": value})
    assert_names(error, "PNBOT_FACILITATORS")
    assert "separated by commas" in str(error)


# PNBOT_DEFAULT_TZ ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "CEST", "../etc/passwd", "Europe/"])
def test_an_unknown_default_time_zone_is_refused(value):
    error = refused({"PNBOT_DEFAULT_TZ": value})
    assert_names(error, "PNBOT_DEFAULT_TZ")
    assert "time zone" in str(error)
    assert "IANA" in str(error)


def test_an_iana_default_time_zone_is_kept():
    assert load(env={"PNBOT_DEFAULT_TZ": "America/Sao_Paulo"}).default_tz == "America/Sao_Paulo"


# Slack --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["xoxp-1-2-user-token", "xapp-1-2", "abc"])
def test_a_bot_token_must_start_with_xoxb(value):
    error = refused({"SLACK_BOT_TOKEN": value, "SLACK_SIGNING_SECRET": "s3cret"})
    assert_names(error, "SLACK_BOT_TOKEN")
    assert "'xoxb-'" in str(error)


@pytest.mark.parametrize("value", ["xoxb-1-2", "app-token"])
def test_an_app_token_must_start_with_xapp(value):
    error = refused({"SLACK_BOT_TOKEN": "xoxb-1-2", "SLACK_APP_TOKEN": value})
    assert_names(error, "SLACK_APP_TOKEN")
    assert "'xapp-'" in str(error)


def test_the_slack_transport_needs_a_bot_token():
    error = refused({"PNBOT_TRANSPORT": "slack", "SLACK_SIGNING_SECRET": "s3cret"})
    assert_names(error, "SLACK_BOT_TOKEN")


def test_the_slack_transport_needs_a_signing_secret_or_an_app_token():
    error = refused({"PNBOT_TRANSPORT": "slack", "SLACK_BOT_TOKEN": "xoxb-1-2"})
    assert_names(error, "SLACK_SIGNING_SECRET")
    assert "SLACK_APP_TOKEN" in str(error)


def test_the_slack_transport_runs_in_http_mode_with_a_signing_secret():
    settings = load(env={"PNBOT_TRANSPORT": "slack", **SLACK_HTTP})
    assert (settings.transport, settings.slack_signing_secret, settings.slack_app_token) == (
        "slack",
        "s3cret",
        None,
    )


def test_the_slack_transport_runs_in_socket_mode_with_an_app_token():
    settings = load(
        env={"PNBOT_TRANSPORT": "slack", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    )
    assert (settings.transport, settings.slack_app_token) == ("slack", "xapp-1")


@pytest.mark.parametrize(
    "value", ["not a url", "127.0.0.1:8080/api", "ftp://files.example/api/", "http://"]
)
def test_a_slack_api_url_must_be_an_http_url(value):
    error = refused({"SLACK_API_URL": value})
    assert_names(error, "SLACK_API_URL")
    assert "http(s) URL" in str(error)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://127.0.0.1:8765/api", "http://127.0.0.1:8765/api/"),
        ("http://127.0.0.1:8765/api/", "http://127.0.0.1:8765/api/"),
        ("https://slack.com/api", "https://slack.com/api/"),
    ],
)
def test_the_slack_api_url_ends_with_a_slash(value, expected):
    assert load(env={"SLACK_API_URL": value}).slack_api_url == expected


# the command, as the shell runs it ---------------------------------------------------------


def pnbot(tmp_path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run_pnbot(tmp_path, list(args), env=env)


def assert_stops_on(result: subprocess.CompletedProcess, variable: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert lines[0].startswith("pnbot: configuration: ")
    assert result.stdout == ""


BAD_SETTINGS = [
    ({"DATABASE_URL": "mysql://pnbot@127.0.0.1/pnbot"}, "DATABASE_URL"),
    ({"DATABASE_URL": "not a database url"}, "DATABASE_URL"),
    ({"DATABASE_URL": "postgresql://pnbot:pa55w0rd@127.0.0.1:abc/pnbot"}, "DATABASE_URL"),
    ({"PNBOT_TRANSPORT": "telegram"}, "PNBOT_TRANSPORT"),
    ({"PNBOT_TRANSPORT": "slack,console"}, "PNBOT_TRANSPORT"),
    ({"PNBOT_FACILITATORS": "alice,,bob"}, "PNBOT_FACILITATORS"),
    ({"PNBOT_DEFAULT_TZ": "Mars/Olympus_Mons"}, "PNBOT_DEFAULT_TZ"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_APP_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
    ({"SLACK_API_URL": "not a url"}, "SLACK_API_URL"),
    ({"PNBOT_TRANSPORT": "slack", "SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
]


@pytest.mark.parametrize(
    ("bad", "variable"), BAD_SETTINGS, ids=[variable for _, variable in BAD_SETTINGS]
)
def test_pnbot_stops_with_one_line_naming_a_bad_variable(tmp_path, bad, variable):
    result = pnbot(tmp_path, clean_env(**bad), "db", "upgrade")
    assert_stops_on(result, variable)
    assert "pa55w0rd" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_pnbot_reads_a_dotenv_file_in_its_working_directory(tmp_path):
    (tmp_path / ".env").write_text(
        "# local settings\nPNBOT_TRANSPORT=console\nPNBOT_DEFAULT_TZ=Atlantis/Capital\n",
        encoding="utf-8",
    )
    result = pnbot(tmp_path, clean_env(), "db", "upgrade")
    assert_stops_on(result, "PNBOT_DEFAULT_TZ")
    assert "Atlantis/Capital" in result.stderr


def test_the_environment_wins_over_the_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("PNBOT_DEFAULT_TZ=Atlantis/Capital\n", encoding="utf-8")
    result = pnbot(tmp_path, clean_env(PNBOT_DEFAULT_TZ="Europe/Paris"), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "database is up to date\n"


def test_a_bad_transport_option_names_the_option(tmp_path):
    result = pnbot(tmp_path, clean_env(), "run", "--transport", "slack,telegram")
    assert_stops_on(result, "--transport")


def test_a_bad_database_option_names_the_option(tmp_path):
    result = pnbot(tmp_path, clean_env(), "--database", "mysql://x@127.0.0.1/db", "db", "upgrade")
    assert_stops_on(result, "--database")


def test_a_good_environment_starts_with_the_default_sqlite_file(tmp_path):
    result = pnbot(tmp_path, clean_env(), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "database is up to date\n"
    assert (tmp_path / "data" / "pnbot.db").is_file()
