//! The `tujenge` command line: `serve`, and the operator's `user` and `project` commands.
//! Secrets (passwords) are read from standard input, never from arguments.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use domain::{Actor, Services};

mod gateway_args;
mod input;
mod meta_apps;
mod output;
mod projects;
mod seed;
mod simulate;

use crate::config::StoreArgs;
use crate::startup::{Application, Settings, shutdown_signal};
use gateway_args::GatewayArgs;
use input::{find_or_create_org, read_secret};
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
    /// Run the upstream simulator: a stand-in for a project's WhatsApp client (On-Premises,
    /// or with --cloud Meta's Graph API).
    SimulateUpstream(simulate::SimulateArgs),
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
        command: projects::ProjectCommand,
    },
    /// Manage the provider's Meta apps (WhatsApp Cloud API).
    MetaApp {
        #[command(subcommand)]
        command: meta_apps::MetaAppCommand,
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

fn parse_overlap(text: &str) -> Result<rules::webhooks::signing::Overlap, String> {
    rules::webhooks::signing::Overlap::parse(text)
        .ok_or_else(|| "the overlap is one of none, 1h, 24h, 7d".to_owned())
}

#[derive(Subcommand, Debug)]
enum WebhookCommand {
    /// Create or replace the project's signing secret and print it (shown once); deliveries
    /// then carry X-Tujenge-Signature: sha256=HMAC(secret, "{timestamp}.{body}"), and
    /// during the overlap a second signature with the old secret after a comma.
    SigningSecret {
        #[arg(long)]
        project: i64,
        /// How long the old secret keeps signing beside the new one: none, 1h, 24h, 7d.
        #[arg(long, default_value = "none", value_parser = parse_overlap)]
        overlap: rules::webhooks::signing::Overlap,
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
    if let Command::SimulateUpstream(args) = cli.command {
        return simulate::run(args).await;
    }
    let (db, secrets) = cli.store.open().await?;
    match cli.command {
        Command::SimulateUpstream(_) => unreachable!("handled above"),
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
            command: WebhookCommand::SigningSecret { project, overlap },
        } => {
            let services = Services::new(db, secrets, Default::default());
            let actor = Actor::command_line();
            let secret = domain::webhooks::signing::rotate(&services, &actor, project, overlap)
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
            let wanted = rules::text::Email::normalize(&email);
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
        Command::Project { command } => {
            projects::run(command, Services::new(db, secrets, Default::default())).await
        }
        Command::MetaApp { command } => {
            meta_apps::run(command, Services::new(db, secrets, Default::default())).await
        }
        Command::SeedDemo {
            messages,
            project,
            seed,
        } => {
            let services = Services::new(db, secrets, Default::default());
            seed::seed_demo(&services, messages, &project, seed).await
        }
    }
}
