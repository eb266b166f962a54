"""Secrets never reach events, diagnostics or output."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from logparse import parse_events
from logparse.cli import cli
from logparse.redact import (
    REDACTED,
    SECRET_WORDS,
    overlaps_secret,
    redact_text,
    redact_value,
    secret_values,
)


@pytest.mark.parametrize(
    "text, secret",
    [
        ('{"csrftoken":"0f1e2d3c4b5a69788796a5b4c3d2e1f0"}', "0f1e2d3c4b5a"),
        ("csrftoken: abc123, creator: x", "abc123"),
        ("login failed, password=hunter2", "hunter2"),
        ("'Token': 'tok-1'", "tok-1"),
        ("Authorization = Basic b25lOm9uZQ==", "Basic"),
        ("one_auth：oneadmin:pass", "oneadmin"),
        ('{\\"csrftoken\\":\\"SECRET09\\"}', "SECRET09"),
        ("Authorization: Bearer abc.def", "abc.def"),
        ("access_token=zz1", "zz1"),
        ("x_password=zz2", "zz2"),
        ("secret_key=zz3", "zz3"),
        ("pwd=zz4", "zz4"),
        ('password: "two words"', "words"),
        ('"csrftoken" "SECRET20"', "SECRET20"),
    ],
)
def test_secret_values_removed(text, secret):
    cleaned = redact_text(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Error allocating a new image. NAME is already taken by IMAGE 265.",
        "token bucket is empty",
        "Wrong password for user oneadmin",
        "User couldn't be authenticated, aborting call.",
        "",
    ],
)
def test_plain_text_unchanged(text):
    assert redact_text(text) == text


@pytest.mark.parametrize("key", ["csrftoken", "new_password", "API_KEY", "user_token"])
def test_secret_keys(key):
    assert redact_value({key: "x"}) == {key: REDACTED}


def test_ordinary_keys_kept():
    assert redact_value({"image_name": "x", "disk_id": 1}) == {"image_name": "x", "disk_id": 1}


def test_nested_values_redacted():
    value = {"params": {"password": "pw", "name": "x", "list": ["csrftoken: t1"]}}
    assert redact_value(value) == {
        "params": {"password": REDACTED, "name": "x", "list": [f"csrftoken: {REDACTED}"]}
    }


def test_redaction_is_linear_on_long_text():
    # A long run of key-like text must not make the pattern backtrack.
    text = "token " * 200_000
    assert redact_text(text) == text


@pytest.mark.parametrize(
    "text, secret",
    [
        ('"csrftoken":: "S44"', "S44"),
        ("Cookie: rack.session=S40; sunstone=S41", "S41"),
        ('"auth":"oneadmin:S23"', "S23"),
        ("密码: S06", "S06"),
        ("令牌：S07", "S07"),
        ("token＝S09", "S09"),
        ("&quot;csrftoken&quot;:&quot;S11&quot;", "S11"),
        ("password%3DS13", "S13"),
    ],
)
def test_more_secret_forms(text, secret):
    assert secret not in redact_text(text)


@pytest.mark.parametrize("key", ["author", "authenticated", "image_name"])
def test_lookalike_keys_kept(key):
    assert redact_value({key: "x"}) == {key: "x"}


# Values that are hard to delimit: a missing closing quote, an array or object,
# a value after whitespace alone, a value whose key ends the text before it.

TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

#: "csrftoken", then one key for each of SECRET_WORDS: the word without its
#: lookahead, such as "auth" for "auth(?!or|entic)".
SECRET_KEYS = (
    "csrftoken",
    *dict.fromkeys(re.sub(r"\(\?!.*?\)", "", word) for word in SECRET_WORDS),
)

HARD_SHAPES = {
    "unclosed quote": '{{"action":{{"perform":"saveas"}},"{key}":"{token}}}',
    "unclosed single quote": "x {key}='{token}",
    "array": '{key}: ["{token}"] x',
    "object": '{key}: {{"v": "{token}"}} x',
    "array over lines": '{key}: [\n  "{token}"\n] x',
    "space": "{upper} {token}",
    "quoted over lines": '{key}: "ab\n{token}" x',
}


#: Input in which a secret value is hard to find, one record or line each, as
#: test_parse and test_cli feed it to the parser and the command line.
LEAK_INPUTS = {
    "unclosed body": '{{"action":{{"perform":"saveas"}},"{key}":"{token}}}\n',
    "unclosed body in content": (
        '{{ id: -1, content: [ImageAllocate] boom {{"action":{{"perform":"saveas"}},'
        '"{key}":"{token}}} , type: ERROR_MSG }}\n'
    ),
    "next line in malformed record": "{{ type: ERROR_MSG, creator: ops1 {key}:\n{token} x }}\n",
    "next line after malformed record": "{{ type: ERROR_MSG, creator ops1 {key}:\n{token} }}\n",
    "array in content": (
        '{{ id: -1, content: [ImageAllocate] boom {key}: ["{token}"] x, type: ERROR_MSG }}\n'
    ),
    "object in content": (
        '{{ id: -1, content: [ImageAllocate] boom {key}: {{"v": "{token}"}} x, type: ERROR_MSG }}\n'
    ),
    "space in skipped text": "{upper} {token}\n",
}


def leak_input(shape: str, key: str) -> str:
    return LEAK_INPUTS[shape].format(key=key, upper=key.upper(), token=TOKEN)


def leaked(text: str) -> list[str]:
    """Return every 8-character piece of TOKEN that ``text`` contains."""
    pieces = (TOKEN[start : start + 8] for start in range(len(TOKEN) - 7))
    return [piece for piece in pieces if piece in text]


@pytest.mark.parametrize("shape", HARD_SHAPES)
@pytest.mark.parametrize("key", SECRET_KEYS)
def test_hard_value_shapes_redacted(key, shape):
    text = HARD_SHAPES[shape].format(key=key, upper=key.upper(), token=TOKEN)
    cleaned = redact_text(text)
    assert leaked(cleaned) == []
    assert REDACTED in cleaned
    assert leaked(" ".join(secret_values(text))) != []


def test_unclosed_quote_redacted_to_line_end():
    text = '"csrftoken":"0f1e2d3c}\n{ content: next }'
    assert redact_text(text) == '"csrftoken":"<redacted>\n{ content: next }'


def test_closed_quote_keeps_both_quotes():
    assert redact_text('"password": "a\\"b" x') == '"password": "<redacted>" x'


def test_value_after_key_in_context_redacted():
    assert redact_text(f"{TOKEN} }}", context="creator ops1 csrftoken:\n") == "<redacted> }"
    assert redact_text(f'{TOKEN}" x', context='password: "ab') == '<redacted>" x'
    assert redact_text(f"{TOKEN} x", context="image_name:\n") == f"{TOKEN} x"


def test_spaced_value_needs_credential_shape():
    assert redact_text(f"CSRFTOKEN {TOKEN}") == f"CSRFTOKEN {REDACTED}"
    assert redact_text("session 5a6b7c") == f"session {REDACTED}"
    assert redact_text("Authorization Bearer abc123 x") == f"Authorization {REDACTED} x"
    assert redact_text("token expired") == "token expired"
    assert redact_text("session timed out") == "session timed out"
    assert redact_text("token Token token") == "token Token token"


def test_brackets_and_quotes_need_text():
    assert redact_text('token: ["a1"] x') == f"token: {REDACTED} x"
    assert redact_text('password: "" x') == 'password: "" x'
    assert redact_text("token: [] x") == "token: [] x"


def test_overlaps_secret():
    text = '{"csrftoken":"0f1e2d3c}'
    start = text.index("0f1e")
    assert overlaps_secret(text, start, start + 4)
    assert not overlaps_secret(text, 0, 4)


def test_unclosed_values_on_many_lines():
    text = 'password: "x1 token: [y2\n' * 50_000
    cleaned = redact_text(text)
    assert "x1" not in cleaned
    assert "y2" not in cleaned


def test_quote_closed_on_later_line_redacts_that_line():
    text = 'password: "x1\npassword: "y2\nimage_name: z'
    assert redact_text(text) == f'password: "{REDACTED}\nimage_name: z'


def test_redact_after_character_that_lowers_to_two():
    # "İ".lower() is two characters, which would shift every offset after it.
    assert redact_text("İİ password=x1 y") == f"İİ password={REDACTED} y"


@pytest.mark.parametrize(
    "text",
    [
        "login failed password:\n            LJBKq54fuKsrgv",
        "password           = KnnJB34AzuGkJd",
        'password => "PvVHK69yuvZKSJ"',
        '{"passphrase": "Zx81kLmQ0pWe"}',
        '{"private_key": "MIIEvQIBADANBgkq"}',
        "privateKey: MIIEvQIBADANBgkq",
    ],
)
def test_wide_separators_and_key_names_redacted(text: str) -> None:
    redacted = redact_text(text)
    for secret in ("LJBKq54f", "KnnJB34A", "PvVHK69y", "Zx81kLmQ", "MIIEvQIB"):
        assert secret not in redacted


# Chinese sentences, where the value may follow 是 or 为 ("is") with no separator.


@pytest.mark.parametrize(
    "text, secret",
    [
        ("密码是abc123", "abc123"),
        ("密码：hunter2", "hunter2"),
        ("口令: s3cret", "s3cret"),
        ("令牌=tok9xq", "tok9xq"),
        ("密钥为ABCDEF", "ABCDEF"),
        ("秘钥是qwerty", "qwerty"),
        ("密码为 hunter", "hunter"),
        ("密码 是 hunter", "hunter"),
        ("新密码是：hunter", "hunter"),
        ("密码是“hunter”", "hunter"),
        ("密碼是hunter", "hunter"),
        ("密码是\nhunter", "hunter"),
        ("登录失败，用户oneadmin的密码是abc123，请修改", "abc123"),
    ],
)
def test_chinese_sentence_secrets_redacted(text, secret):
    cleaned = redact_text(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


def test_chinese_value_ends_before_chinese_text():
    assert redact_text("密码是abc123请修改") == f"密码是{REDACTED}请修改"
    assert redact_text("用户的密码是abc123，请修改") == f"用户的密码是{REDACTED}，请修改"


@pytest.mark.parametrize(
    "text",
    ["密码为空", "密码是否正确", "密码已过期", "登录失败，密码错误", "令牌桶是空的"],
)
def test_chinese_descriptions_unchanged(text):
    assert redact_text(text) == text


# Keys and values escaped for URLs, HTML and JSON strings.


@pytest.mark.parametrize(
    "text, secret",
    [
        ("csrftoken%3Dabc123def", "abc123def"),
        ("%22password%22%3A%22hunter%22", "hunter"),
        ("%7B%22csrftoken%22%3A%22hunter%22%7D", "hunter"),
        ("%27password%27%3A%20%27hunter%27", "hunter"),
        ("a=1&password%3Dhunter&b=2", "hunter"),
        ("q=1%26password%3Dhunter%26b%3D2", "hunter"),
        ("password%3dhunter", "hunter"),
        ("&#34;password&#34;:&#34;hunter&#34;", "hunter"),
        ("&#x22;password&#x22;:&#x22;hunter&#x22;", "hunter"),
        ("&amp;quot;password&amp;quot;:&amp;quot;hunter&amp;quot;", "hunter"),
        ("&quot;password&quot;:\n&quot;hunter&quot;", "hunter"),
        ("\\u0022password\\u0022:\\u0022hunter\\u0022", "hunter"),
        ("password&#61;hunter", "hunter"),
    ],
)
def test_escaped_secrets_redacted(text, secret):
    cleaned = redact_text(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


def test_escaped_quotes_kept_around_value():
    assert redact_text("%22password%22%3A%22abc%22") == f"%22password%22%3A%22{REDACTED}%22"
    assert redact_text("&#34;pwd&#34;:&#34;x&#34;") == f"&#34;pwd&#34;:&#34;{REDACTED}&#34;"


# Values in English sentences.


@pytest.mark.parametrize(
    "text, secret",
    [
        ("the password is hunter2", "hunter2"),
        ("the password is hunter", "hunter"),
        ("Password is Hunter.", "Hunter"),
        ('password was "hunter"', "hunter"),
        ("the password is 'hunter' now", "hunter"),
        ("the password was hunter and", "hunter"),
        ("password is: hunter", "hunter"),
        ("the password is\nhunter", "hunter"),
        ("with password hunter2", "hunter2"),
        ("the secret is hunter", "hunter"),
        ("the token is 0f1e2d3c4b5a6978", "0f1e2d3c"),
        ('token was "abc123"', "abc123"),
    ],
)
def test_sentence_secrets_redacted(text, secret):
    cleaned = redact_text(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "the password is incorrect",
        "Password is expired.",
        "the password is not valid",
        "password was changed by oneadmin",
        "password is case-sensitive",
        "password authentication failed",
        "password expired",
        "password for user oneadmin",
        "the token is expired",
        "the OneGate token is the request's credential",
        'syntax error: operand expected (error token is "+1")',
    ],
)
def test_ordinary_sentences_unchanged(text):
    assert redact_text(text) == text


# Words that contain a secret word without naming a secret.


@pytest.mark.parametrize(
    "text",
    [
        "pyone.OneAuthorizationException: [one.vm.action] User [2] : "
        "Not authorized to perform MANAGE VM [5].",
        "TokenError: Invalid token",
        "Could not validate user credentials:  CRL file /etc/grid-security/"
        "certificates/1a2b3c4d.r0 does not exist",
        "Bad format for one_auth token (<user>:<passwd>)",
    ],
)
def test_messages_about_secrets_unchanged(text):
    assert redact_text(text) == text


@pytest.mark.parametrize(
    "text, secret",
    [
        ("credentials: oneadmin:hunter", "hunter"),
        ("credentials: hunter", "hunter"),
        ('"credentials": "hunter words"', "hunter"),
        ("user_credentials=hunter", "hunter"),
        ("Authorization: Bearer abc.def", "abc.def"),
        ("one_auth token 0f1e2d3c4b5a69788796", "0f1e2d3c"),
    ],
)
def test_credential_values_redacted(text, secret):
    cleaned = redact_text(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


def test_exception_name_keys_kept():
    assert redact_value({"AuthorizationError": "x"}) == {"AuthorizationError": "x"}


def test_exception_message_keeps_method():
    record = (
        "{ id: -1, content: pyone.OneAuthorizationException: [one.vm.action] User [5] : "
        "Not authorized to perform MANAGE VM [12]., type: ERROR_MSG }\n"
    )
    events = list(parse_events([record]))
    assert events[0].method == "one.vm.action"
    assert events[0].message.startswith("User [5] : Not authorized")
    assert REDACTED not in events[0].message


# Other places where a secret may appear.


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<PASSWORD>hunter</PASSWORD>", f"<PASSWORD>{REDACTED}</PASSWORD>"),
        ("<TOKEN><![CDATA[hunter]]></TOKEN>", f"<TOKEN><![CDATA[{REDACTED}]]></TOKEN>"),
        (
            "&lt;PASSWORD&gt;hunter&lt;/PASSWORD&gt;",
            f"&lt;PASSWORD&gt;{REDACTED}&lt;/PASSWORD&gt;",
        ),
        (
            "<LOGIN_TOKEN><TOKEN>hunter</TOKEN></LOGIN_TOKEN>",
            f"<LOGIN_TOKEN><TOKEN>{REDACTED}</TOKEN></LOGIN_TOKEN>",
        ),
        ("<PASSWORD> </PASSWORD>", "<PASSWORD> </PASSWORD>"),
    ],
)
def test_xml_element_text_redacted(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mysql://oneadmin:hunter@db/one", f"mysql://oneadmin:{REDACTED}@db/one"),
        ("mysql://oneadmin:p@ss@db/one", f"mysql://oneadmin:{REDACTED}@db/one"),
        ("redis://:hunter@cache:6379", f"redis://:{REDACTED}@cache:6379"),
        ("http://frontend:2633/RPC2", "http://frontend:2633/RPC2"),
        ("ssh://oneadmin@host/path", "ssh://oneadmin@host/path"),
    ],
)
def test_url_password_redacted(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "key", ["auth.token", "user password", "New Password", "x" * 60 + "_password"]
)
def test_dotted_and_spaced_keys_secret(key):
    assert redact_value({key: "hunter"}) == {key: REDACTED}


def test_secret_in_key_redacted():
    value = {"user=oneadmin&password=hunter": "", "password=hunter2": 1}
    assert redact_value(value) == {
        f"user=oneadmin&password={REDACTED}": REDACTED,
        f"password={REDACTED}": REDACTED,
    }


def test_redacted_keys_stay_distinct():
    value = {"mysql://a:x1@db": 1, "mysql://a:x2@db": 2}
    assert redact_value(value) == {
        f"mysql://a:{REDACTED}@db": 1,
        f"mysql://a:{REDACTED}@db#2": 2,
    }


@pytest.mark.parametrize(
    "text",
    [
        "password is " * 100_000,
        "密码是" * 200_000,
        "<password>" * 100_000,
        "%22password%22" * 100_000,
        "://a:" * 200_000,
        "mysql -p " * 100_000,
        "sshpass -p x ssh " * 50_000,
        "mysql " + "-x " * 200_000,
        "pass " * 100_000,
        "creator: a:" * 100_000,
        "-----BEGIN RSA PRIVATE KEY-----" * 50_000,
        "-----END RSA PRIVATE KEY-----" * 50_000,
        "-----BEGIN RSA PRIVATE KEY-----" + "A" * 1_000_000,
        "A" * 1_000_000 + "-----END RSA PRIVATE KEY-----",
    ],
)
def test_every_form_linear_on_long_text(text):
    # Each form reads a bounded amount of text after a secret word. Reading to
    # the end of the text for each hit would make the time grow with the square
    # of the length.
    assert redact_text(text)


# Passwords in the options of command lines.


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Command failed: curl -u oneadmin:hunter2 http://frontend:2633/RPC2",
            f"Command failed: curl -u oneadmin:{REDACTED} http://frontend:2633/RPC2",
        ),
        ("curl --user 'oneadmin:hunter2' http://x", f"curl --user 'oneadmin:{REDACTED}' http://x"),
        ("curl -uoneadmin:hunter2 http://x", f"curl -uoneadmin:{REDACTED} http://x"),
        ("curl --user=oneadmin:hunter2 http://x", f"curl --user=oneadmin:{REDACTED} http://x"),
        ("curl -s http://x -U proxy:hunter2", f"curl -s http://x -U proxy:{REDACTED}"),
        ("mysql -u oneadmin -phunter2 opennebula", f"mysql -u oneadmin -p{REDACTED} opennebula"),
        (
            "mysqldump -u oneadmin -p 'hunter2' opennebula",
            f"mysqldump -u oneadmin -p '{REDACTED}' opennebula",
        ),
        ("mysql -u oneadmin -p opennebula", f"mysql -u oneadmin -p {REDACTED}"),
        ('/usr/bin/mysql -p"hunter 2" -h db', f'/usr/bin/mysql -p"{REDACTED}" -h db'),
        ("mariadb-dump -phunter2 opennebula", f"mariadb-dump -p{REDACTED} opennebula"),
        ("mysql --password hunter -u oneadmin", f"mysql --password {REDACTED} -u oneadmin"),
        ("mysql --password=hunter2", f"mysql --password={REDACTED}"),
        (
            "sshpass -p hunter2 ssh -p 22 oneadmin@node1",
            f"sshpass -p {REDACTED} ssh -p 22 oneadmin@node1",
        ),
        ("sshpass -phunter2 scp a b", f"sshpass -p{REDACTED} scp a b"),
        ("onedb backup --password hunter", f"onedb backup --password {REDACTED}"),
        ("redis-cli -a hunter2 ping", f"redis-cli -a {REDACTED} ping"),
        ("redis-cli --pass hunter ping", f"redis-cli --pass {REDACTED} ping"),
        (
            "ipmitool -I lanplus -H 10.0.0.1 -U admin -P hunter2 power status",
            f"ipmitool -I lanplus -H 10.0.0.1 -U admin -P {REDACTED} power status",
        ),
        (
            "ldapsearch -x -D cn=admin -w hunter2 -b dc=example",
            f"ldapsearch -x -D cn=admin -w {REDACTED} -b dc=example",
        ),
        ("smbclient //srv/share -U admin%hunter2", f"smbclient //srv/share -U admin%{REDACTED}"),
        ("xfreerdp /u:admin /p:hunter2 /v:host", f"xfreerdp /u:admin /p:{REDACTED} /v:host"),
        ("oneuser create helen hunter", f"oneuser create helen {REDACTED}"),
        ("oneuser passwd helen hunter", f"oneuser passwd helen {REDACTED}"),
        ("SSHPASS=hunter2 sshpass -e ssh host", f"SSHPASS={REDACTED} sshpass -e ssh host"),
        (
            "sudo -u oneadmin mysql -phunter2 one; mkdir -p /x",
            f"sudo -u oneadmin mysql -p{REDACTED} one; mkdir -p /x",
        ),
        (
            '{"error":"mysql -p\\"hunter2\\" failed"}',
            f'{{"error":"mysql -p\\"{REDACTED}\\" failed"}}',
        ),
    ],
)
def test_command_line_passwords_redacted(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "mkdir -p /var/lib/one/datastores/0",
        "ssh -p 22 oneadmin@node1 hostname",
        "cp -p disk.0 disk.1",
        "scp -P 2222 disk.0 oneadmin@node1:/var/tmp",
        "mysql -P 3306 -u oneadmin -h db opennebula",
        "curl -s http://frontend:2633/RPC2",
        "curl: (7) Failed to connect to frontend port 2633: Connection refused",
        "curl -u oneadmin http://x",
        "bash: sshpass: command not found",
        "oneuser show oneadmin",
        "cp -p a b && mysql -u one opennebula < dump.sql",
    ],
)
def test_ordinary_command_lines_unchanged(text):
    assert redact_text(text) == text


# Keys named "pass" and "api-key".


@pytest.mark.parametrize(
    "text, expected",
    [
        ("login failed pass=hunter2", f"login failed pass={REDACTED}"),
        ("pass: hunter2", f"pass: {REDACTED}"),
        ('{"pass":"hunter"}', f'{{"pass":"{REDACTED}"}}'),
        ("DB_PASS=hunter", f"DB_PASS={REDACTED}"),
        ("onevcenter hosts --vpass hunter", f"onevcenter hosts --vpass {REDACTED}"),
        ("user=oneadmin&pass=hunter&x=1", f"user=oneadmin&pass={REDACTED}&x=1"),
        ("pass%3Dhunter", f"pass%3D{REDACTED}"),
        ("openssl rsa -passin pass:hunter2", f"openssl rsa -passin pass:{REDACTED}"),
        ("api-key: abc123def456", f"api-key: {REDACTED}"),
        ("X-API-Key: abc123def456", f"X-API-Key: {REDACTED}"),
        ("apikey=abc123def456", f"apikey={REDACTED}"),
        ("api_key=abc123def456", f"api_key={REDACTED}"),
    ],
)
def test_pass_and_api_key_redacted(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the VM did not pass the check",
        "the VM did not pass 2 checks",
        "Test passed: all checks pass.",
        "PCI pass-through is not supported",
        "PCI passthrough device 0000:01:00.0 is busy",
        "pass_through: true",
        "bypass: true",
        "compass: 5",
        "GET http://frontend/api/v1/vms failed: 500",
        "API request to /api/vm/5 failed",
        "the api key is missing",
    ],
)
def test_pass_and_api_words_unchanged(text):
    assert redact_text(text) == text


def test_pass_and_api_key_params_redacted():
    params = {"pass": "x", "api-key": "y", "DB_PASS": "z", "passthrough": "p", "bypass": True}
    assert redact_value(params) == {
        "pass": REDACTED,
        "api-key": REDACTED,
        "DB_PASS": REDACTED,
        "passthrough": "p",
        "bypass": True,
    }


# The body of a PEM private key.

PEM_LINES = ("MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2xk", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU+/w==")

PEM_FORMS = {
    "lines": "-----BEGIN {label}-----\n{one}\n{two}\n-----END {label}-----",
    "one line": "-----BEGIN {label}----- {one} {two} -----END {label}-----",
    "no spaces": "-----BEGIN {label}-----{one}{two}-----END {label}-----",
    "escaped line breaks": "-----BEGIN {label}-----\\n{one}\\n{two}\\n-----END {label}-----\\n",
    "cut off": "-----BEGIN {label}-----\n{one}\n{two}",
    "cut off on one line": "key: -----BEGIN {label}----- {one} {two}",
    "encrypted headers": (
        "-----BEGIN {label}-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n"
        "\n{one}\n{two}\n-----END {label}-----"
    ),
}


@pytest.mark.parametrize("form", PEM_FORMS)
@pytest.mark.parametrize(
    "label",
    [
        "RSA PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "EC PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "PRIVATE KEY",
        "PGP PRIVATE KEY BLOCK",
    ],
)
def test_private_key_body_redacted(label, form):
    text = PEM_FORMS[form].format(label=label, one=PEM_LINES[0], two=PEM_LINES[1])
    cleaned = redact_text(text)
    for line in PEM_LINES:
        for start in range(0, len(line) - 7, 4):
            assert line[start : start + 8] not in cleaned
    assert f"-----BEGIN {label}-----" in cleaned
    assert REDACTED in cleaned


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "type: ERROR_MSG },\nMIIEowIBAAKCAQEA\nb3BlbnNz==\n-----END RSA PRIVATE KEY-----\n{ x",
            f"type: ERROR_MSG }},\n{REDACTED}\n-----END RSA PRIVATE KEY-----\n{{ x",
        ),
        (
            "MIIEowIBAAKCAQEA\\nb3BlbnNz\\n-----END EC PRIVATE KEY-----",
            f"{REDACTED}\\n-----END EC PRIVATE KEY-----",
        ),
        (
            "-----END RSA PRIVATE KEY----- x -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n"
            "-----END EC PRIVATE KEY-----",
            f"-----END RSA PRIVATE KEY----- x -----BEGIN EC PRIVATE KEY-----\n{REDACTED}\n"
            "-----END EC PRIVATE KEY-----",
        ),
    ],
)
def test_private_key_body_before_end_redacted(text, expected):
    assert redact_text(text) == expected


def test_private_key_keeps_its_lines():
    text = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_LINES[0]}\n-----END RSA PRIVATE KEY-----"
    assert redact_text(text) == (
        f"-----BEGIN RSA PRIVATE KEY-----\n{REDACTED}\n-----END RSA PRIVATE KEY-----"
    )


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B\n-----END PUBLIC KEY-----",
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDI4gvh oneadmin@frontend",
    ],
)
def test_public_keys_unchanged(text):
    assert redact_text(text) == text


# User names in OpenNebula's ONE_AUTH form "user:password".


@pytest.mark.parametrize(
    "text, expected",
    [
        ("oneadmin", "oneadmin"),
        ("oneadmin:hunter2", f"oneadmin:{REDACTED}"),
        ("serveradmin:0f1e2d3c4b5a", f"serveradmin:{REDACTED}"),
        (" oneadmin:p@ss:word ", f" oneadmin:{REDACTED} "),
        ("oneadmin:", "oneadmin:"),
        (":hunter2", ":hunter2"),
        ("http://frontend:2633/RPC2", "http://frontend:2633/RPC2"),
        ("node1:/var/lib/one", "node1:/var/lib/one"),
        ("ops1 (admin)", "ops1 (admin)"),
        ("key: value", "key: value"),
        ("Error:timeout on node1", "Error:timeout on node1"),
    ],
)
def test_one_auth_text_redacted(text, expected):
    assert redact_text(text) == expected


def test_creator_one_auth_redacted():
    record = (
        "{ id: -1,content: [VirtualMachineAction] Wrong state to perform action,"
        "creator: oneadmin:hunter2,date: 2014-09-15,time: 10:00:00,type: ERROR_MSG },\n"
    )
    events = list(parse_events([record]))
    assert events[0].creator == f"oneadmin:{REDACTED}"


def test_user_values_one_auth_redacted():
    value = {"user": "oneadmin:hunter2", "UserName": "a:b", "image": "ubuntu:22.04"}
    value["ceph_host"] = "ceph-mon1:6789"
    assert redact_value(value) == {
        "user": f"oneadmin:{REDACTED}",
        "UserName": f"a:{REDACTED}",
        "image": "ubuntu:22.04",
        "ceph_host": "ceph-mon1:6789",
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "{ creator: oneadmin:hunter2,date: 2014-09-15 }",
            f"{{ creator: oneadmin:{REDACTED},date: 2014-09-15 }}",
        ),
        ("creator: oneadmin:hun,ter2 x", f"creator: oneadmin:{REDACTED} x"),
        ('"user":"oneadmin:hunter2"', f'"user":"oneadmin:{REDACTED}"'),
        ("username=oneadmin:hunter2", f"username=oneadmin:{REDACTED}"),
    ],
)
def test_user_key_one_auth_in_text_redacted(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "creator: oneadmin,date: 2014-09-15,time: 10:00:00,type: ERROR_MSG",
        "User [2] : Not authorized to perform MANAGE VM [5].",
        "user: oneadmin: not authorized",
        "superuser: a:b",
        "image: ubuntu:22.04",
        "Deploying VM 5 on host node1:22",
    ],
)
def test_ordinary_user_text_unchanged(text):
    assert redact_text(text) == text


# Command lines, keys, private keys and ONE_AUTH values in every output of the
# command line.

LEAK_RECORDS = [
    "[VirtualMachineSaveDisk] Command failed: curl -u oneadmin:S301 http://frontend:2633/RPC2",
    "[VirtualMachineSaveDisk] Command failed: mysql -u oneadmin -pS302 opennebula",
    "[VirtualMachineSaveDisk] Command failed: sshpass -p S303 ssh oneadmin@node1",
    "[VirtualMachineSaveDisk] Command failed: mysqldump -u oneadmin -p 'S304' opennebula",
    "[ImageAllocate] login failed pass=S305",
    "[ImageAllocate] request failed x-api-key: S306",
    "[ImageAllocate] bad key -----BEGIN RSA PRIVATE KEY----- MIIS307 -----END RSA PRIVATE KEY-----",
    "[ImageAllocate] bad key -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlS308",
]


def test_cli_outputs_free_of_secrets(tmp_path):
    lines = [
        f"{{ id: -1,content: {content},creator: oneadmin,date: 2014-09-{15 + number % 5},"
        f"time: 10:00:00,type: ERROR_MSG }},\n"
        for number, content in enumerate(LEAK_RECORDS)
    ]
    lines.append(
        "{ id: -1,content: [VirtualMachineAction] Wrong state to perform action,"
        "creator: oneadmin:S309,date: 2014-09-16,time: 10:01:00,type: ERROR_MSG },\n"
    )
    lines.append("{ id: -1,content: [ImageAllocate] boom,creator: oneadmin:S310,date: x\n")
    lines.append("Command failed: sshpass -p S311 ssh node1\npass: S312\n")
    lines.append('{"action":{"perform":"login","params":{"pass":"S313","user":"a:S314"}}}:\n')
    path = tmp_path / "input.txt"
    path.write_text("".join(lines), "utf-8")
    secrets = [f"S3{number:02d}" for number in range(1, 15)]

    outputs = []
    for command in (["parse"], ["parse", "--format", "csv"], ["report"]):
        rejects = tmp_path / f"rejects-{len(outputs)}.txt"
        result = CliRunner().invoke(cli, [*command, "--rejects", str(rejects), str(path)])
        assert result.exit_code == 0
        outputs += [result.stdout, result.stderr, rejects.read_text("utf-8")]

    weekly = tmp_path / "weekly"
    result = CliRunner().invoke(cli, ["weekly", str(path), "--week", "2014-W38", "-o", str(weekly)])
    assert result.exit_code == 0
    outputs += [result.stdout, result.stderr]
    reports = [report.read_text("utf-8") for report in sorted(weekly.glob("*.[hmc]*"))]
    assert [report.count("redacted") > 0 for report in reports] == [True, True, True]
    outputs += reports

    for secret in secrets:
        assert [output for output in outputs if secret in output] == []
