#include "olmd/store/sandbox_ledger.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>

namespace olmd::store {

struct SandboxLedger::Statements {
    explicit Statements(SQLite::Database& db)
        : find(db,
               "SELECT id, idempotency_key, operation, amount_cents, coalesce(card_token, ''), "
               "coalesce(request_ref, ''), outcome, coalesce(gateway_ref, ''), coalesce(avs_result, ''), "
               "coalesce(cvv_result, ''), response_code, answered, times_sent, coalesce(amount_received, -1) FROM sandbox_ledger "
               "WHERE idempotency_key = ?"),
          insert(db,
                 "INSERT INTO sandbox_ledger (idempotency_key, operation, amount_cents, card_token, request_ref, "
                 "outcome, gateway_ref, avs_result, cvv_result, response_code, answered, times_sent, created_at, "
                 "amount_received) "
                 "VALUES (?, ?, ?, nullif(?, ''), nullif(?, ''), ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), ?, "
                 "?, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), iif(?12 < 0, NULL, ?12))"),
          set_ref(db, "UPDATE sandbox_ledger SET gateway_ref = ? WHERE id = ?"),
          resent(db, "UPDATE sandbox_ledger SET times_sent = times_sent + 1, answered = 1 WHERE id = ?"),
          succeeded_on(db,
                       "SELECT count(*) FROM sandbox_ledger WHERE request_ref = ? AND operation = ? AND "
                       "outcome = 'succeeded'"),
          hold(db,
               "SELECT coalesce((SELECT amount_cents FROM sandbox_ledger WHERE gateway_ref = ?1 AND "
               "operation = 'authorize' AND outcome = 'succeeded'), "
               "(SELECT max(amount_cents) FROM payments WHERE gateway_ref = ?1 AND typeof(amount_cents) = 'integer' "
               "AND amount_cents >= 0), -1), "
               "(SELECT coalesce(sum(amount_cents), 0) FROM sandbox_ledger WHERE request_ref = ?1 AND "
               "operation = 'capture' AND outcome = 'succeeded'), "
               "(SELECT count(*) FROM sandbox_ledger WHERE request_ref = ?1 AND operation = 'capture' AND "
               "outcome = 'succeeded'), "
               "(SELECT count(*) FROM sandbox_ledger WHERE request_ref = ?1 AND operation = 'void' AND "
               "outcome = 'succeeded'), "
               "(SELECT coalesce(max(captured_cents), 0) FROM payments WHERE gateway_ref = ?1 AND "
               "typeof(captured_cents) = 'integer' AND captured_cents BETWEEN 0 AND amount_cents)") {}
    SQLite::Statement find, insert, set_ref, resent, succeeded_on, hold;
};

SandboxLedger::SandboxLedger(Database& db) : db_(db) {}

SandboxLedger::~SandboxLedger() { rollback(); }

Result<std::unique_ptr<SandboxLedger>> SandboxLedger::open(Database& db) {
    try {
        std::unique_ptr<SandboxLedger> l(new SandboxLedger(db));
        l->st_ = std::make_unique<Statements>(db.raw());
        return l;
    } catch (const std::exception& e) {
        return Error{std::string("the sandbox gateway cannot use its ledger (run `olmd init-db`): ") + e.what(),
                     exit_code::database};
    }
}

Status SandboxLedger::begin() {
    try {
        if (sqlite3_get_autocommit(db_.raw().getHandle()) != 0) {
            db_.raw().exec("BEGIN IMMEDIATE");
            open_ = 1;
        } else {
            db_.raw().exec("SAVEPOINT olmd_sandbox");
            open_ = 2;
        }
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("sandbox ledger: cannot start a transaction: ") + e.what()};
    }
}

Status SandboxLedger::commit() {
    try {
        if (open_ == 1) db_.raw().exec("COMMIT");
        if (open_ == 2) db_.raw().exec("RELEASE olmd_sandbox");
        open_ = 0;
        return ok_status();
    } catch (const std::exception& e) {
        rollback();
        return Error{std::string("sandbox ledger: cannot commit: ") + e.what()};
    }
}

void SandboxLedger::rollback() {
    const int was = open_;
    open_ = 0;
    try {
        if (was == 1) db_.raw().exec("ROLLBACK");
        if (was == 2) db_.raw().exec("ROLLBACK TO olmd_sandbox; RELEASE olmd_sandbox");
    } catch (...) {
        // Already rolled back by SQLite itself.
    }
}

Result<std::optional<LedgerRow>> SandboxLedger::find(const std::string& key) {
    try {
        auto& q = st_->find;
        q.reset();
        q.bind(1, key);
        if (!q.executeStep()) return std::optional<LedgerRow>{};
        LedgerRow r;
        r.id = q.getColumn(0).getInt64();
        r.idempotency_key = q.getColumn(1).getString();
        r.operation = q.getColumn(2).getString();
        r.amount_cents = q.getColumn(3).getInt64();
        r.card_token = q.getColumn(4).getString();
        r.request_ref = q.getColumn(5).getString();
        r.outcome = q.getColumn(6).getString();
        r.gateway_ref = q.getColumn(7).getString();
        r.avs_result = q.getColumn(8).getString();
        r.cvv_result = q.getColumn(9).getString();
        r.response_code = q.getColumn(10).getString();
        r.answered = q.getColumn(11).getInt() != 0;
        r.times_sent = q.getColumn(12).getInt();
        r.amount_received = q.getColumn(13).getInt64();
        q.reset();
        return std::optional<LedgerRow>{std::move(r)};
    } catch (const std::exception& e) {
        return Error{std::string("sandbox ledger: ") + e.what()};
    }
}

Result<RowId> SandboxLedger::insert(const LedgerRow& row) {
    try {
        auto& q = st_->insert;
        q.reset();
        q.bind(1, row.idempotency_key);
        q.bind(2, row.operation);
        q.bind(3, static_cast<std::int64_t>(row.amount_cents));
        q.bind(4, row.card_token);
        q.bind(5, row.request_ref);
        q.bind(6, row.outcome);
        q.bind(7, row.gateway_ref);
        q.bind(8, row.avs_result);
        q.bind(9, row.cvv_result);
        q.bind(10, row.response_code);
        q.bind(11, row.answered ? 1 : 0);
        q.bind(12, static_cast<std::int64_t>(row.amount_received));
        q.exec();
        return static_cast<RowId>(db_.raw().getLastInsertRowid());
    } catch (const std::exception& e) {
        return Error{std::string("sandbox ledger: ") + e.what()};
    }
}

Status SandboxLedger::set_gateway_ref(RowId id, const std::string& ref) {
    try {
        auto& q = st_->set_ref;
        q.reset();
        q.bind(1, ref);
        q.bind(2, static_cast<std::int64_t>(id));
        q.exec();
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("sandbox ledger: ") + e.what()};
    }
}

Status SandboxLedger::mark_resent(RowId id) {
    try {
        auto& q = st_->resent;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(id));
        q.exec();
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("sandbox ledger: ") + e.what()};
    }
}

Result<bool> SandboxLedger::succeeded_on(const std::string& request_ref, const std::string& operation) {
    try {
        auto& q = st_->succeeded_on;
        q.reset();
        q.bind(1, request_ref);
        q.bind(2, operation);
        q.executeStep();
        const bool any = q.getColumn(0).getInt64() > 0;
        q.reset();
        return any;
    } catch (const std::exception& e) {
        return Error{std::string("sandbox ledger: ") + e.what()};
    }
}

Result<HoldState> SandboxLedger::hold(const std::string& ref) {
    try {
        auto& q = st_->hold;
        q.reset();
        q.bind(1, ref);
        q.executeStep();
        HoldState h;
        h.authorized = q.getColumn(0).getInt64();
        h.captured_here = q.getColumn(2).getInt64() > 0;
        h.voided = q.getColumn(3).getInt64() > 0;
        h.captured = std::max(q.getColumn(1).getInt64(), q.getColumn(4).getInt64());
        q.reset();
        return h;
    } catch (const std::exception& e) {
        return Error{std::string("sandbox ledger: ") + e.what()};
    }
}

}  // namespace olmd::store
