//! `tujenge simulate-upstream`: the stand-in WhatsApp client for tests and the demo, as an
//! On-Premises client (the default) or, with `--cloud`, as Meta's Graph API.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;

use crate::simulator::cloud::{CloudConfig, CloudSimulator};
use crate::simulator::{Simulator, SimulatorConfig};
use crate::startup::shutdown_signal;

#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[arg(long, env = "TUJENGE_SIM_ADDR", default_value = "127.0.0.1:9090")]
    addr: SocketAddr,
    /// Act as Meta's Graph API (the Cloud API) instead of an On-Premises client.
    #[arg(long, env = "TUJENGE_SIM_CLOUD")]
    cloud: bool,
    /// On-Premises: the admin user the gateway logs in with.
    #[arg(long, env = "TUJENGE_SIM_ADMIN_USER", default_value = "admin")]
    admin_user: String,
    /// On-Premises: the admin password (choose one and give the same to the project).
    #[arg(long, env = "TUJENGE_SIM_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: Option<String>,
    /// On-Premises: seconds a login token lasts.
    #[arg(long, env = "TUJENGE_SIM_TOKEN_TTL_SECS", default_value_t = 7 * 24 * 3600)]
    token_ttl_secs: u64,
    /// Cloud: the access token Graph accepts (give the same to the project).
    #[arg(long, env = "TUJENGE_SIM_ACCESS_TOKEN", hide_env_values = true)]
    access_token: Option<String>,
    /// Cloud: the Meta app's secret, which signs every notification.
    #[arg(long, env = "TUJENGE_SIM_APP_SECRET", hide_env_values = true)]
    app_secret: Option<String>,
    /// Cloud: the Meta app's id (photo uploads go through it).
    #[arg(long, env = "TUJENGE_SIM_APP_ID", default_value = "1234567890")]
    app_id: String,
    /// Cloud: the WhatsApp Business Account (its template library).
    #[arg(long, env = "TUJENGE_SIM_WABA_ID", default_value = "102290129340398")]
    waba_id: String,
    /// Cloud: the numbers (phone-number-ids) Graph knows; repeat for several.
    #[arg(long = "phone-number-id", default_values_t = ["106540352242922".to_owned()])]
    phone_number_ids: Vec<String>,
    /// Cloud: refuse template messages as Meta does when the account's library lacks the
    /// template in that language (132001) or has it paused (132015) or disabled (132016).
    /// Off by default, so any template of Meta's examples can be sent.
    #[arg(long, env = "TUJENGE_SIM_CHECK_TEMPLATES")]
    check_templates: bool,
    /// Milliseconds between a message and each of its status notifications.
    #[arg(long, env = "TUJENGE_SIM_STATUS_DELAY_MS", default_value_t = 200)]
    status_delay_ms: u64,
    /// Folder for uploaded media (a temporary folder when not given).
    #[arg(long, env = "TUJENGE_SIM_MEDIA_DIR")]
    media_dir: Option<std::path::PathBuf>,
    /// Where notifications go: the project's inbound URL (On-Premises, until changed
    /// through the API) or the Meta app's callback URL (Cloud).
    #[arg(long, env = "TUJENGE_SIM_CALLBACK_URL")]
    callback_url: Option<String>,
    /// On-Premises: milliseconds spent on each message before answering.
    #[arg(long, env = "TUJENGE_SIM_MESSAGE_LATENCY_MS", default_value_t = 0)]
    message_latency_ms: u64,
}

pub async fn run(args: SimulateArgs) -> anyhow::Result<()> {
    let temp = std::env::temp_dir().join(format!("tujenge-sim-{}", std::process::id()));
    std::fs::create_dir_all(&temp)?;
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let media_dir = args.media_dir.clone().unwrap_or_else(|| temp.clone());
    let status_delay = Duration::from_millis(args.status_delay_ms);
    let router = if args.cloud {
        let (Some(access_token), Some(app_secret)) = (args.access_token, args.app_secret) else {
            anyhow::bail!("the Cloud simulator needs --access-token and --app-secret");
        };
        let config = CloudConfig {
            access_token,
            app_secret,
            app_id: args.app_id,
            waba_id: args.waba_id,
            phone_number_ids: args.phone_number_ids,
            callback_url: args.callback_url,
            status_delay,
            media_dir,
            public_base: base.clone(),
            check_templates: args.check_templates,
        };
        CloudSimulator::new(config).router()
    } else {
        let Some(admin_password) = args.admin_password else {
            anyhow::bail!("the On-Premises simulator needs --admin-password");
        };
        let config = SimulatorConfig {
            admin_user: args.admin_user,
            admin_password,
            token_ttl: Duration::from_secs(args.token_ttl_secs),
            status_delay,
            media_dir,
            callback_url: args.callback_url,
            message_latency: Duration::from_millis(args.message_latency_ms),
        };
        Simulator::new(config).router()
    };
    // Tests read this line to learn the port when --addr ends in :0.
    println!("simulator listening on {base}");
    let result = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    let _ = std::fs::remove_dir_all(&temp);
    Ok(result?)
}
