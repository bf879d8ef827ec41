//! A minimal browser for server-function tests: same-origin POSTs with the session cookie carried along.

use reqwest::StatusCode;
use server::test_support::TestServer;

pub struct Browser {
    http: reqwest::Client,
    pub base: String,
    /// The `atrium_session` cookie value, as the browser would hold it.
    pub session: Option<String>,
    pub origin: String,
}

impl Browser {
    pub fn new(server: &TestServer) -> Self {
        Self { http: reqwest::Client::new(), base: server.url.clone(), session: None, origin: server.url.clone() }
    }

    /// Calls `/api/<endpoint>` with a form body; answers the status and the JSON body (`Null` if none).
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, serde_json::Value) {
        let mut request =
            self.http.post(format!("{}/api/{endpoint}", self.base)).header("origin", &self.origin).form(form);
        if let Some(session) = &self.session {
            request = request.header("cookie", format!("atrium_session={session}"));
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        for cookie in response.headers().get_all("set-cookie") {
            let cookie = cookie.to_str().unwrap();
            if let Some(rest) = cookie.strip_prefix("atrium_session=") {
                let value = rest.split(';').next().unwrap().to_string();
                let removed = cookie.contains("Max-Age=0") || value.is_empty();
                self.session = if removed { None } else { Some(value) };
            }
        }
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    pub async fn sign_in(&mut self, tenant: &str, email: &str, password: &str) -> (StatusCode, serde_json::Value) {
        self.call("auth/sign_in", &[("tenant", tenant), ("email", email), ("password", password)]).await
    }

    /// The viewer the server sees for `tenant` (`Null` when nobody).
    pub async fn viewer(&mut self, tenant: &str) -> serde_json::Value {
        let (status, body) = self.call("auth/viewer", &[("slug", tenant)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

pub const DEMO_PASSWORD: &str = server::database::seed::DEMO_PASSWORD;
