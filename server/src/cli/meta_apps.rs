//! `tujenge meta-app …`: the provider's Meta apps (WhatsApp Cloud API). `add` reads the
//! app secret from standard input and prints what to paste into Meta's dashboard, each on
//! its own line: `callback URL: <url>` and `verify token: <token>`.

use clap::Subcommand;
use domain::cloud::apps::{self, MetaAppInput};
use domain::{Actor, Services};

use super::input::read_secret;
use super::output::explain;

#[derive(Subcommand, Debug)]
pub enum MetaAppCommand {
    /// Register a Meta app; the app secret is read from standard input.
    Add {
        #[arg(long)]
        app_id: String,
        #[arg(long)]
        name: String,
        /// The Graph API's address (a simulator's in tests and the demo).
        #[arg(long, default_value = rules::cloud::GRAPH_URL)]
        graph_url: String,
        #[arg(long, default_value = rules::cloud::GRAPH_VERSION)]
        graph_version: String,
        /// The address Meta reaches this server at, for the callback URL.
        #[arg(
            long,
            env = "TUJENGE_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
    /// List the Meta apps with their callback URLs and verify tokens.
    List {
        #[arg(
            long,
            env = "TUJENGE_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
}

pub async fn run(command: MetaAppCommand, services: Services) -> anyhow::Result<()> {
    let actor = Actor::command_line();
    match command {
        MetaAppCommand::Add {
            app_id,
            name,
            graph_url,
            graph_version,
            public_url,
        } => {
            let input = MetaAppInput {
                app_id,
                name,
                app_secret: read_secret("app secret")?,
                graph_url,
                graph_version,
            };
            let app = apps::add(&services, &actor, &input, &public_url)
                .await
                .map_err(explain)?;
            println!("callback URL: {}", app.callback_url);
            println!("verify token: {}", app.verify_token);
        }
        MetaAppCommand::List { public_url } => {
            let all = apps::list(&services, &actor, &public_url)
                .await
                .map_err(explain)?;
            for app in all {
                println!(
                    "{}  {}  {} {}\n  callback URL: {}\n  verify token: {}",
                    app.app_id,
                    app.name,
                    app.graph_url,
                    app.graph_version,
                    app.callback_url,
                    app.verify_token
                );
            }
        }
    }
    Ok(())
}
