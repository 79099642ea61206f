//! Each account's stored evidence kept its per-kind decay sums as JSON text
//! (about 700 bytes per account: 18 full-precision numbers with the kinds'
//! names), so the portfolio, which scores every account of the tenant,
//! moved and parsed ~7 MB per request on the bench seed, and a write could
//! not add a signal in SQL. Here each kind gets its own `DOUBLE PRECISION`
//! column (`sum_<kind>`, 144 bytes in all), filled from the JSON, which is
//! then dropped.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The signal kinds as stored in `account_signals.kind` (in the order of
/// `domain::signal::SignalKind::ALL`, checked by a persistence test).
pub const KINDS: [&str; 18] = [
    "MEETING_ACCEPTED",
    "MEETING_DECLINED",
    "CALL_RETURNED",
    "CALL_UNRETURNED",
    "EMAIL_ANSWERED",
    "EMAIL_IGNORED",
    "INTRODUCTION_UNSOLICITED",
    "INTRODUCTION_SOLICITED",
    "ADVICE_SOUGHT",
    "INVITED_EARLY_TO_BUYING_PROCESS",
    "INVITED_LATE_TO_BUYING_PROCESS",
    "INSIDE_INFORMATION_SHARED",
    "SCOPE_EXPANDED",
    "SCOPE_REDUCED",
    "BUYING_PROCESS_ACCELERATED",
    "BUYING_PROCESS_DECELERATED",
    "REFERENCE_GIVEN",
    "ESCALATION",
];

fn column(kind: &str) -> String {
    format!("sum_{}", kind.to_ascii_lowercase())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let pg = manager.get_database_backend() == DbBackend::Postgres;
        for k in KINDS {
            db.execute_unprepared(&format!(
                "ALTER TABLE account_health ADD COLUMN {} DOUBLE PRECISION NOT NULL DEFAULT 0",
                column(k)
            ))
            .await?;
        }
        let sets: Vec<String> = KINDS
            .iter()
            .map(|k| {
                let from = if pg {
                    format!("CAST(CAST(sums AS jsonb) ->> '{k}' AS DOUBLE PRECISION)")
                } else {
                    format!("json_extract(sums, '$.{k}')")
                };
                format!("{} = COALESCE({from}, 0)", column(k))
            })
            .collect();
        db.execute_unprepared(&format!("UPDATE account_health SET {}", sets.join(", ")))
            .await?;
        db.execute_unprepared("ALTER TABLE account_health DROP COLUMN sums")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let pg = manager.get_database_backend() == DbBackend::Postgres;
        db.execute_unprepared(
            "ALTER TABLE account_health ADD COLUMN sums TEXT NOT NULL DEFAULT '{}'",
        )
        .await?;
        // SQLite writes a REAL into JSON with 15 digits: 17 keep it exact.
        let pairs: Vec<String> = KINDS
            .iter()
            .map(|k| {
                if pg {
                    format!("'{k}', {}", column(k))
                } else {
                    format!("'{k}', json(printf('%.17g', {}))", column(k))
                }
            })
            .collect();
        let obj = if pg {
            format!("CAST(json_build_object({}) AS TEXT)", pairs.join(", "))
        } else {
            format!("json_object({})", pairs.join(", "))
        };
        db.execute_unprepared(&format!("UPDATE account_health SET sums = {obj}"))
            .await?;
        for k in KINDS {
            db.execute_unprepared(&format!(
                "ALTER TABLE account_health DROP COLUMN {}",
                column(k)
            ))
            .await?;
        }
        Ok(())
    }
}
