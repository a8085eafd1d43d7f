from factories import auth_headers, make_user


def test_health_and_ready(app_client):
    assert app_client.get("/healthz").json() == {"status": "ok"}
    assert app_client.get("/readyz").json() == {"status": "ready"}


def test_me(app_client, session, settings):
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    me = app_client.get("/api/v1/auth/me", headers=auth_headers(settings, user)).json()
    assert me["region_code"] == "230102" and "users.read" in me["permissions"]
