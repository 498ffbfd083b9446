#pragma once
// The sandbox gateway's ledger (sql/0002_sandbox_ledger.sql): one row per
// idempotency key it applied. Only the sandbox gateway and tests use it.

#include <memory>
#include <optional>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/money.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// One sandbox_ledger row.
struct LedgerRow {
    RowId id = 0;
    std::string idempotency_key;
    std::string operation;     ///< authorize, capture, void
    Cents amount_cents = 0;
    std::string card_token;
    std::string request_ref;
    std::string outcome;       ///< succeeded, declined
    std::string gateway_ref;
    std::string avs_result, cvv_result;
    std::string response_code;
    bool answered = true;      ///< false: the first answer was "lost" (the timeout token)
    int times_sent = 1;
    Cents amount_received = -1;  ///< capture / void: the authorization's total received after it (-1 = none)
};

/// What the sandbox knows of one authorization (by its gateway_ref).
struct HoldState {
    Cents authorized = -1;  ///< the authorized amount: its own ledger row, else the payments row; -1 = unknown
    Cents captured = 0;     ///< captured on it so far: its ledger's captures, or what the payments row records
    bool captured_here = false;  ///< a capture on it succeeded in this ledger
    bool voided = false;         ///< a void on it succeeded in this ledger
};

/// Reads and writes sandbox_ledger on the caller's connection.
class SandboxLedger {
public:
    /// Prepares the statements; an Error when the table is missing (run `olmd init-db`).
    static Result<std::unique_ptr<SandboxLedger>> open(Database& db);
    ~SandboxLedger();
    SandboxLedger(const SandboxLedger&) = delete;
    SandboxLedger& operator=(const SandboxLedger&) = delete;

    /// Starts a unit of work: BEGIN IMMEDIATE, or a savepoint inside a caller's transaction.
    Status begin();
    /// Commits (or releases) the unit of work begun last.
    Status commit();
    /// Rolls back the unit of work begun last (no-op when none is open).
    void rollback();

    /// The row of that key, or nullopt.
    Result<std::optional<LedgerRow>> find(const std::string& key);
    /// Inserts row (id ignored), created_at = the wall clock; returns the new id.
    Result<RowId> insert(const LedgerRow& row);
    /// Sets the gateway_ref of a row.
    Status set_gateway_ref(RowId id, const std::string& ref);
    /// Records one more delivery of a row's answer (times_sent += 1, answered = 1).
    Status mark_resent(RowId id);
    /// True when an operation on request_ref already succeeded under another key.
    Result<bool> succeeded_on(const std::string& request_ref, const std::string& operation);
    /// The state of the authorization ref (cli.md: a capture may not exceed what it still holds).
    Result<HoldState> hold(const std::string& ref);

private:
    struct Statements;
    explicit SandboxLedger(Database& db);
    Database& db_;
    std::unique_ptr<Statements> st_;
    int open_ = 0;  ///< 0 none, 1 transaction, 2 savepoint
};

}  // namespace olmd::store
