//! The `tujenge` command line: `serve`, and the operator's `user` and `project` commands.
//! Secrets (passwords) are read from standard input, never from arguments.

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use domain::{Actor, Db, Error, Services};

mod gateway_args;
mod output;
mod seed;

use crate::config::StoreArgs;
use crate::startup::{Application, Settings, shutdown_signal};
use gateway_args::GatewayArgs;
use output::explain;

#[derive(Parser, Debug)]
#[command(
    name = "tujenge",
    version,
    about = "Tujenge WhatsApp gateway and console"
)]
pub struct Cli {
    #[command(flatten)]
    store: StoreArgs,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "TUJENGE_LOG_JSON", global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start the server: the console, the partner API (gateway) and webhook forwarding.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "TUJENGE_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Folder with the built site assets (`pkg/`), as produced by cargo-leptos.
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
        /// Send cookies with the Secure flag; use it whenever the console is reached over TLS.
        #[arg(long, env = "TUJENGE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Proxies (CIDR ranges, comma-separated) whose X-Forwarded-For names the client, for
        /// login throttling behind a load balancer; from any other peer it is ignored.
        #[arg(long, env = "TUJENGE_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxies: Vec<rules::net::Cidr>,
        /// Hours a console login lasts at most, however active the session.
        #[arg(long, env = "TUJENGE_SESSION_HOURS", default_value_t = 12)]
        session_hours: u64,
        #[command(flatten)]
        gateway: GatewayArgs,
        /// Serve Prometheus metrics at http://ADDR/metrics (a separate, internal address).
        #[arg(long, env = "TUJENGE_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
        /// The address upstreams reach this server at, for inbound URLs (default: http://ADDR).
        #[arg(long, env = "TUJENGE_PUBLIC_URL", default_value = "")]
        public_url: String,
    },
    /// Run the upstream simulator: a stand-in for a project's WhatsApp Business API client.
    SimulateUpstream {
        #[arg(long, env = "TUJENGE_SIM_ADDR", default_value = "127.0.0.1:9090")]
        addr: SocketAddr,
        /// The admin user the gateway logs in with.
        #[arg(long, env = "TUJENGE_SIM_ADMIN_USER", default_value = "admin")]
        admin_user: String,
        /// The admin password (no default: choose one and give the same to the project).
        #[arg(long, env = "TUJENGE_SIM_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: String,
        /// Seconds a login token lasts.
        #[arg(long, env = "TUJENGE_SIM_TOKEN_TTL_SECS", default_value_t = 7 * 24 * 3600)]
        token_ttl_secs: u64,
        /// Milliseconds between a message and each of its status notifications.
        #[arg(long, env = "TUJENGE_SIM_STATUS_DELAY_MS", default_value_t = 200)]
        status_delay_ms: u64,
        /// Folder for uploaded media (a temporary folder when not given).
        #[arg(long, env = "TUJENGE_SIM_MEDIA_DIR")]
        media_dir: Option<std::path::PathBuf>,
        /// Initial callback URL for notifications.
        #[arg(long, env = "TUJENGE_SIM_CALLBACK_URL")]
        callback_url: Option<String>,
        /// Milliseconds spent on each message before answering, like a real client's work.
        #[arg(long, env = "TUJENGE_SIM_MESSAGE_LATENCY_MS", default_value_t = 0)]
        message_latency_ms: u64,
    },
    /// Manage projects' webhooks.
    Webhook {
        #[command(subcommand)]
        command: WebhookCommand,
    },
    /// Manage partners' API keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Manage console users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage projects (one per WhatsApp phone number).
    Project {
        #[command(subcommand)]
        command: ProjectCommand,
    },
    /// Fill the database with realistic test data: a month of messages (and a demo
    /// organization with three projects when there are no projects yet).
    SeedDemo {
        /// How many messages to write.
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
        /// Only these projects (repeat the option); default: every project.
        #[arg(long)]
        project: Vec<i64>,
        /// The same seed writes the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand, Debug)]
enum WebhookCommand {
    /// Create or replace the project's signing secret and print it (shown once); deliveries
    /// then carry X-Tujenge-Signature: sha256=HMAC(secret, "{timestamp}.{body}").
    SigningSecret {
        #[arg(long)]
        project: i64,
    },
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
    /// Create an API key for a project and print it (shown this once only).
    Create {
        #[arg(long)]
        project: i64,
        /// What the key is for, e.g. "production CRM".
        #[arg(long)]
        name: String,
        /// Days until the key stops working; none means it does not expire.
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user; the password is read from the first line of standard input.
    Create {
        #[arg(long)]
        email: String,
        /// admin, support or partner.
        #[arg(long)]
        role: String,
        /// The partner's organization (created when it does not exist yet).
        #[arg(long)]
        org: Option<String>,
    },
    /// Give a user a new password (read from the first line of standard input), e.g. the
    /// only admin who forgot theirs; their console sessions end.
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// List every user (email, role, status); prints nothing when there are none.
    List,
}

#[derive(Subcommand, Debug)]
enum ProjectCommand {
    /// Create a project; the upstream admin password is read from standard input. Prints the id.
    Create {
        #[arg(long)]
        name: String,
        /// E.164 digits with country code, no leading 0.
        #[arg(long)]
        phone: String,
        /// Base URL of the project's WhatsApp Business API client.
        #[arg(long)]
        upstream_url: String,
        /// The upstream admin user for /v1/users/login.
        #[arg(long)]
        upstream_user: String,
        /// Organization (created when it does not exist yet); defaults to "Default".
        #[arg(long, default_value = "Default")]
        org: String,
    },
    /// List every project.
    List,
    /// Show one project, with the inbound URL to set as its upstream's callback URL.
    Show {
        id: i64,
        /// The address the upstream reaches this server at, for the inbound URL.
        #[arg(
            long,
            env = "TUJENGE_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
}

pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init(cli.log_json);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::SimulateUpstream {
        addr,
        admin_user,
        admin_password,
        token_ttl_secs,
        status_delay_ms,
        media_dir,
        callback_url,
        message_latency_ms,
    } = cli.command
    {
        let temp = tempfile_dir()?;
        let config = crate::simulator::SimulatorConfig {
            admin_user,
            admin_password,
            token_ttl: std::time::Duration::from_secs(token_ttl_secs),
            status_delay: std::time::Duration::from_millis(status_delay_ms),
            media_dir: media_dir.unwrap_or_else(|| temp.clone()),
            callback_url,
            message_latency: std::time::Duration::from_millis(message_latency_ms),
        };
        let listener = tokio::net::TcpListener::bind(addr).await?;
        // Tests read this line to learn the port when --addr ends in :0.
        println!("simulator listening on http://{}", listener.local_addr()?);
        let result = axum::serve(listener, crate::simulator::Simulator::new(config).router())
            .with_graceful_shutdown(shutdown_signal())
            .await;
        let _ = std::fs::remove_dir_all(&temp);
        return Ok(result?);
    }
    let (db, secrets) = cli.store.open().await?;
    match cli.command {
        Command::SimulateUpstream { .. } => unreachable!("handled above"),
        Command::Serve {
            addr,
            site_root,
            secure_cookies,
            trusted_proxies,
            session_hours,
            gateway,
            metrics_addr,
            public_url,
        } => {
            db.close().await;
            let settings = Settings {
                addr,
                database_url: cli.store.database_url,
                secrets,
                site_root,
                secure_cookies,
                trusted_proxies,
                session_lifetime: std::time::Duration::from_secs(session_hours * 3600),
                throttle: Default::default(),
                gateway: gateway.config(),
                metrics_addr,
                delivery: gateway.delivery()?,
                public_url,
            };
            let app = Application::build(settings).await?;
            let users = domain::accounts::users::count(&app.services().db).await?;
            tracing::info!(url = %format!("http://{}:{}", addr.ip(), app.port()), "console listening");
            if users == 0 {
                tracing::warn!(
                    "no users yet: create the first admin with `tujenge user create --email you@example.com --role admin` (password on stdin)"
                );
            }
            app.run_until(shutdown_signal()).await
        }
        Command::User {
            command: UserCommand::Create { email, role, org },
        } => {
            let services = Services::new(db, secrets, Default::default());
            let role = rules::Role::parse(&role).map_err(anyhow::Error::msg)?;
            let organization_id = match org {
                Some(name) => Some(find_or_create_org(&services.db, &name).await?),
                None => None,
            };
            let password = read_secret("password")?;
            let new = domain::accounts::users::NewUser {
                email: &email,
                password: &password,
                role,
                organization_id,
            };
            let user = domain::accounts::users::create(&services.db, &Actor::command_line(), new)
                .await
                .map_err(explain)?;
            println!(
                "created {} user {} (id {})",
                user.role.as_str(),
                user.email,
                user.id
            );
            Ok(())
        }
        Command::Key {
            command:
                KeyCommand::Create {
                    project,
                    name,
                    expires_in_days,
                },
        } => {
            let services = Services::new(db, secrets, Default::default());
            let expires_at =
                domain::projects::keys::expiry_after_days(expires_in_days).map_err(explain)?;
            let new = domain::projects::keys::create(
                &services,
                &Actor::command_line(),
                project,
                &name,
                expires_at,
            )
            .await
            .map_err(explain)?;
            eprintln!(
                "API key {} for project {project} (shown once; store it safely):",
                new.key.prefix
            );
            println!("{}", new.secret);
            Ok(())
        }
        Command::Webhook {
            command: WebhookCommand::SigningSecret { project },
        } => {
            let services = Services::new(db, secrets, Default::default());
            let secret = domain::webhooks::config::rotate_signing_secret(
                &services,
                &Actor::command_line(),
                project,
            )
            .await
            .map_err(explain)?;
            eprintln!("Signing secret for project {project} (shown once; give it to the partner):");
            println!("{secret}");
            Ok(())
        }
        Command::User {
            command: UserCommand::SetPassword { email },
        } => {
            let services = Services::new(db, secrets, Default::default());
            let wanted = domain::accounts::users::normalize_email(&email);
            let users = domain::accounts::users::list(&services.db, &Actor::command_line())
                .await
                .map_err(explain)?;
            let user = users
                .iter()
                .find(|u| u.email == wanted)
                .ok_or_else(|| anyhow::anyhow!("no user has the email {wanted}"))?;
            let password = read_secret("password")?;
            domain::accounts::credentials::set_password(
                &services.db,
                &Actor::command_line(),
                user.id,
                &password,
            )
            .await
            .map_err(explain)?;
            println!(
                "new password set for {}; their console sessions have ended",
                user.email
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::List,
        } => {
            let services = Services::new(db, secrets, Default::default());
            for user in domain::accounts::users::list(&services.db, &Actor::command_line())
                .await
                .map_err(explain)?
            {
                let status = if user.disabled { "disabled" } else { "active" };
                println!(
                    "{:<6} {:<40} {:<8} {status}",
                    user.id,
                    user.email,
                    user.role.as_str()
                );
            }
            Ok(())
        }
        Command::Project {
            command:
                ProjectCommand::Create {
                    name,
                    phone,
                    upstream_url,
                    upstream_user,
                    org,
                },
        } => {
            let services = Services::new(db, secrets, Default::default());
            let organization_id = find_or_create_org(&services.db, &org).await?;
            let upstream_password = read_secret("upstream password")?;
            let input = domain::projects::settings::ProjectInput {
                organization_id,
                name,
                phone_number: phone,
                upstream_url,
                upstream_username: upstream_user,
                upstream_password,
                notes: String::new(),
                enforce_24h_window: true,
                redact_bodies: false,
            };
            let project =
                domain::projects::settings::create(&services, &Actor::command_line(), &input)
                    .await
                    .map_err(explain)?;
            println!("{}", project.id);
            Ok(())
        }
        Command::Project {
            command: ProjectCommand::Show { id, public_url },
        } => {
            let services = Services::new(db, secrets, Default::default());
            let p = domain::projects::settings::get(&services, &Actor::command_line(), id)
                .await
                .map_err(explain)?;
            let actor = Actor::command_line();
            let inbound = domain::webhooks::inbound::url(&services, &actor, id, &public_url)
                .await
                .map_err(explain)?;
            println!(
                "id:            {}\nname:          {}\norganization:  {}\nphone:         {}\nupstream:      {} (user {})",
                p.id,
                p.name,
                p.organization_name,
                p.phone_number,
                p.upstream_url,
                p.upstream_username
            );
            println!("inbound URL:   {inbound}");
            Ok(())
        }
        Command::SeedDemo {
            messages,
            project,
            seed,
        } => {
            let services = Services::new(db, secrets, Default::default());
            seed::seed_demo(&services, messages, &project, seed).await
        }
        Command::Project {
            command: ProjectCommand::List,
        } => {
            let services = Services::new(db, secrets, Default::default());
            let projects = domain::projects::settings::list(&services, &Actor::command_line())
                .await
                .map_err(explain)?;
            println!(
                "{:<6} {:<24} {:<16} {:<20} UPSTREAM",
                "ID", "NAME", "PHONE", "ORGANIZATION"
            );
            for p in projects {
                println!(
                    "{:<6} {:<24} {:<16} {:<20} {}",
                    p.id, p.name, p.phone_number, p.organization_name, p.upstream_url
                );
            }
            Ok(())
        }
    }
}

async fn find_or_create_org(db: &Db, name: &str) -> anyhow::Result<i64> {
    match domain::accounts::organizations::find_by_name(db, name).await {
        Ok(org) => Ok(org.id),
        Err(Error::NotFound) => {
            Ok(
                domain::accounts::organizations::create(db, &Actor::command_line(), name)
                    .await
                    .map_err(explain)?
                    .id,
            )
        }
        Err(e) => Err(explain(e)),
    }
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("tujenge-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn read_secret(what: &str) -> anyhow::Result<String> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("Type the {what} and press Enter (it is read from standard input):");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(!secret.is_empty(), "no {what} on standard input");
    Ok(secret)
}
