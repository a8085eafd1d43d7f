import pytest

from fangkong.core.web import local_path


@pytest.mark.parametrize("value", ["/", "/regions", "/users?q=a&cursor=x", "/regions/230102#top"])
def test_local_paths_are_kept(value):
    assert local_path(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "https://evil.example",
        "evil.example",
        "",
        "/x\\y",
        "/\tevil",
        "/%0d%0aSet-Cookie:x"[:2] + "\r\n",
        "javascript:alert(1)",
    ],
)
def test_anything_that_could_leave_the_site_falls_back(value):
    assert local_path(value) == "/"


def test_login_and_language_switch_refuse_backslash_redirects(app_client):
    response = app_client.get(
        "/lang/en", params={"next": "/\\evil.example"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    page = app_client.get("/login", params={"next": "/\\evil.example"})
    assert 'name="next" value="/"' in page.text
