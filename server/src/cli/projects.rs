//! `tujenge project …`: projects (one WhatsApp number each) on an On-Premises client or
//! on the Cloud API. Secrets (the upstream password, the access token) come on standard
//! input.

use clap::Subcommand;
use domain::projects::cloud::CloudUpstreamInput;
use domain::projects::settings::{self, ProjectInput, UpstreamKind};
use domain::{Actor, Services};

use super::input::{find_or_create_org, read_secret};
use super::output::explain;

#[derive(Subcommand, Debug)]
pub enum ProjectCommand {
    /// Create a project and print its id. On the Cloud API: --meta-app, --phone-number-id
    /// and --waba-id, the access token on standard input. On an On-Premises client:
    /// --upstream-url and --upstream-user, the admin password on standard input.
    Create {
        #[arg(long)]
        name: String,
        /// E.164 digits with country code, no leading 0.
        #[arg(long)]
        phone: String,
        /// Cloud: Meta's id of one of the provider's apps (`tujenge meta-app list`).
        #[arg(long, requires_all = ["phone_number_id", "waba_id"], conflicts_with_all = ["upstream_url", "upstream_user"])]
        meta_app: Option<String>,
        /// Cloud: the number's phone-number-id in Meta's systems.
        #[arg(long)]
        phone_number_id: Option<String>,
        /// Cloud: the WhatsApp Business Account the number belongs to.
        #[arg(long)]
        waba_id: Option<String>,
        /// On-Premises: base URL of the project's WhatsApp Business API client.
        #[arg(long, required_unless_present = "meta_app", requires = "upstream_user")]
        upstream_url: Option<String>,
        /// On-Premises: the admin user for /v1/users/login.
        #[arg(long)]
        upstream_user: Option<String>,
        /// Organization (created when it does not exist yet); defaults to "Default".
        #[arg(long, default_value = "Default")]
        org: String,
    },
    /// Move a project to the Cloud API (Meta's migration moves the number): its keys,
    /// webhook, message log and templates stay. The access token on standard input.
    SetUpstream {
        id: i64,
        #[arg(long)]
        meta_app: String,
        #[arg(long)]
        phone_number_id: String,
        #[arg(long)]
        waba_id: String,
    },
    /// List every project.
    List,
    /// Read a Cloud project's template library again from Meta (every project on its
    /// account gets it) and say what changed.
    SyncTemplates { id: i64 },
    /// Read a Cloud number's health at Meta now (quality, messaging limit, throughput,
    /// status) and keep what changed.
    CheckNumber { id: i64 },
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

pub async fn run(command: ProjectCommand, services: Services) -> anyhow::Result<()> {
    let actor = Actor::command_line();
    match command {
        ProjectCommand::Create {
            name,
            phone,
            meta_app,
            phone_number_id,
            waba_id,
            upstream_url,
            upstream_user,
            org,
        } => {
            let organization_id = find_or_create_org(&services.db, &org).await?;
            let mut input = ProjectInput {
                organization_id,
                name,
                phone_number: phone,
                enforce_24h_window: true,
                ..ProjectInput::default()
            };
            match meta_app {
                Some(meta_app) => {
                    input.kind = UpstreamKind::Cloud;
                    input.cloud = CloudUpstreamInput {
                        meta_app,
                        phone_number_id: phone_number_id.unwrap_or_default(),
                        waba_id: waba_id.unwrap_or_default(),
                        access_token: read_secret("access token")?,
                    };
                }
                None => {
                    input.upstream_url = upstream_url.unwrap_or_default();
                    input.upstream_username = upstream_user.unwrap_or_default();
                    input.upstream_password = read_secret("upstream password")?;
                }
            }
            let project = settings::create(&services, &actor, &input)
                .await
                .map_err(explain)?;
            println!("{}", project.id);
        }
        ProjectCommand::SetUpstream {
            id,
            meta_app,
            phone_number_id,
            waba_id,
        } => {
            let cloud = CloudUpstreamInput {
                meta_app,
                phone_number_id,
                waba_id,
                access_token: read_secret("access token")?,
            };
            let project = domain::projects::cloud::set_upstream(&services, &actor, id, &cloud)
                .await
                .map_err(explain)?;
            println!("project {} now runs on the WhatsApp Cloud API", project.id);
        }
        ProjectCommand::SyncTemplates { id } => {
            let synced = domain::templates::meta::sync(&services, &actor, id)
                .await
                .map_err(explain)?;
            println!("{synced}");
        }
        ProjectCommand::CheckNumber { id } => {
            let h = domain::projects::health::check(&services, &actor, id)
                .await
                .map_err(explain)?;
            println!(
                "{}: quality {}, messaging limit {}, throughput {}, status {}",
                h.verified_name,
                h.quality_rating,
                h.messaging_limit,
                h.throughput,
                h.account_status
            );
        }
        ProjectCommand::List => {
            let projects = settings::list(&services, &actor).await.map_err(explain)?;
            println!(
                "{:<6} {:<24} {:<16} {:<20} UPSTREAM",
                "ID", "NAME", "PHONE", "ORGANIZATION"
            );
            for p in projects {
                println!(
                    "{:<6} {:<24} {:<16} {:<20} {}",
                    p.id,
                    p.name,
                    p.phone_number,
                    p.organization_name,
                    upstream_line(&p)
                );
            }
        }
        ProjectCommand::Show { id, public_url } => {
            let p = settings::get(&services, &actor, id)
                .await
                .map_err(explain)?;
            println!("id:            {}", p.id);
            println!("name:          {}", p.name);
            println!("organization:  {}", p.organization_name);
            println!("phone:         {}", p.phone_number);
            println!("upstream:      {}", upstream_line(&p));
            if p.kind == UpstreamKind::OnPremises {
                let inbound = domain::webhooks::inbound::url(&services, &actor, id, &public_url)
                    .await
                    .map_err(explain)?;
                println!("inbound URL:   {inbound}");
            }
        }
    }
    Ok(())
}

fn upstream_line(p: &settings::Project) -> String {
    match &p.cloud {
        Some(c) => format!(
            "Cloud API: number {} of WABA {} (app {}, token {})",
            c.phone_number_id, c.waba_id, c.meta_app, c.token_hint
        ),
        None => format!("{} (user {})", p.upstream_url, p.upstream_username),
    }
}
