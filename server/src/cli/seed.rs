//! `tujenge seed-demo`: fills a database with realistic message traffic for demos and
//! scale benchmarks.

use domain::Services;

use super::output::explain;

pub async fn seed_demo(
    services: &Services,
    messages: usize,
    projects: &[i64],
    seed: u64,
) -> anyhow::Result<()> {
    let projects = domain::messages::demo::projects_to_fill(services, projects)
        .await
        .map_err(explain)?;
    let started = std::time::Instant::now();
    let written = domain::messages::demo::seed_messages(
        &services.db,
        &projects,
        messages,
        domain::platform::db::now_ms(),
        seed,
    )
    .await
    .map_err(explain)?;
    println!(
        "wrote {written} messages over the last 30 days to project(s) {projects:?} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
