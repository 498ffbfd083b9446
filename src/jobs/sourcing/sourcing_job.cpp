// The sourcing job's run: the SRC-14 pass (orders waiting on backorders,
// oldest first) then the SRC-1 pass (orders in [sourcing] statuses, by id).
// A batch is one BEGIN IMMEDIATE transaction: the page of orders, their
// details and the inventory of their SKUs are read under the write lock (so a
// back-office writer's inventory update lands before or after the batch, never
// in the middle of it), every order is decided in memory and then written, and
// the batch commits. An order whose rows the database refuses is taken back
// whole: the batch is redone with a savepoint per order (see run_batch), and
// that order alone goes to result.exception. Orders that need a ready-to-ship
// authorization (SRC-12) are rolled back, authorized after the commit, and
// sourced again in a transaction of their own.
#include "olmd/jobs/sourcing/sourcing_job.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "jobs/sourcing/run_state.hpp"

namespace olmd::jobs::sourcing {

RunState::RunState(JobContext& c, JobStats& s, Settings settings_in, ReferenceData ref_in,
                   std::unique_ptr<domain::SourcingRepository> repo_in,
                   std::unique_ptr<domain::StatusWriter> writer_in)
    : ctx(c),
      stats(s),
      settings(std::move(settings_in)),
      ref(std::move(ref_in)),
      repo(std::move(repo_in)),
      writer_owner(std::move(writer_in)),
      writer(*writer_owner) {}

Result<std::unique_ptr<domain::StatusWriter>> sourcing_writer(JobContext& c) {
    return c.services.store.status_writer({JobKind::sourcing, c.run_id, c.now, c.dry_run, c.out,
                                          [&c](StatusId id) { return c.catalog.statuses.name(id); }});
}

void RunState::fail(const std::string& why) {
    stats.failure = stats.failure.empty() ? why : stats.failure + "; " + why;
}

bool RunState::load_stock(const std::vector<SourcingOrder>& orders) {
    std::vector<RowId> inv, vend;
    for (const SourcingOrder& o : orders)
        for (const OrderLine& l : o.lines) {
            const Sku* s = ref.sku(l.sku_id);
            if (s == nullptr || s->kind != SkuKind::product) continue;
            if (!stock.inventory.loaded(s->id) && std::find(inv.begin(), inv.end(), s->id) == inv.end())
                inv.push_back(s->id);
            if (s->method != Method::stock && !stock.vendors.loaded(s->id) &&
                std::find(vend.begin(), vend.end(), s->id) == vend.end())
                vend.push_back(s->id);
        }
    auto rows = repo->inventory(inv);
    if (!rows) {
        fail(rows.error().message);
        return false;
    }
    stock.inventory.load(inv, *rows);
    auto vrows = repo->vendor_stock(vend);
    if (!vrows) {
        fail(vrows.error().message);
        return false;
    }
    stock.vendors.load(vend, *vrows);
    return true;
}

Result<Centroid> RunState::origin(const SourcingOrder& o, const std::string& zip5) {
    if (zip5.empty() || settings.policy(o.channel_id).rule != config::FulfillmentRule::closest) return Centroid{};
    auto it = zips.find(zip5);
    if (it != zips.end()) return it->second;
    auto c = repo->zip_centroid(zip5);
    if (!c) return c.error();
    zips.emplace(zip5, *c);
    return *c;
}

PaymentsFn RunState::payments() {
    // SRC-12: an authorization older than [gateway] authorization_valid_days covers nothing.
    if (valid_after.empty())  // once per run: the run's now does not move
        valid_after = format_utc(ctx.now - std::chrono::days(std::max(1, ctx.cfg.gateway.authorization_valid_days)));
    return [this](OrderId id) { return repo->payment_totals(id, valid_after); };
}

Result<SourcingDecision> RunState::decide(const SourcingOrder& o, Pass pass, Trace* trace) {
    PlanInput in{settings, ref, stock, ship_zip5(o), std::nullopt, trace, {}};
    auto org = origin(o, in.zip5);
    if (!org) return org.error();
    in.origin = org->at;
    in.origin_bad = org->bad;
    return decide_order(o, pass, in, payments());
}

namespace {

std::string describe_plan(const RunState& rs, const SourcingOrder& o, const Plan& p) {
    auto wname = [&](RowId id) {
        const Warehouse* w = rs.ref.warehouse(id);
        return w ? w->name : "#" + std::to_string(id);
    };
    auto code = [&](RowId line) {
        const OrderLine* l = o.line(line);
        const Sku* s = l ? rs.ref.sku(l->sku_id) : nullptr;
        return s ? s->code : "?";
    };
    std::string s;
    auto add = [&](const std::string& part) { s += (s.empty() ? "" : "; ") + part; };
    for (const AssignStep& a : p.assigns)
        add(std::to_string(a.quantity) + " x " + code(a.line_id) + " assigned at " + wname(a.warehouse_id) +
            (a.reservation_id ? " (reserved)"
             : a.backorder_id ? " (backorder filled)"
                              : ""));
    for (const BackorderStep& b : p.backorders)
        add(std::to_string(b.quantity) + " x " + code(b.line_id) + " backordered at " +
            wname(b.warehouse_id));
    for (const QueueStep& q : p.queued) {
        const Vendor* v = rs.ref.vendor(q.vendor_id);
        add(std::to_string(q.quantity) + " x " + code(q.line_id) + " queued (" +
            std::string(to_string(q.method)) + ") for " + (v ? v->name : "#" + std::to_string(q.vendor_id)));
    }
    return s;
}

}  // namespace

RunState::OrderResult RunState::process(const SourcingOrder& o, Pass pass, bool first_visit) {
    if (first_visit) ++stats.selected;
    const bool dry = ctx.dry_run;
    const StockMark mark = stock.mark();
    auto decided = decide(o, pass, nullptr);
    if (!decided) {
        fail(decided.error().message);
        return OrderResult::failed;
    }
    SourcingDecision& d = *decided;

    if (d.auth_needed_cents > 0 && !dry) {  // SRC-12: authorize outside the write lock, then again
        stock.undo_to(mark);
        if (first_visit) pending_auth.push_back(PendingAuth{o.id, pass});
        return OrderResult::deferred_for_auth;
    }
    return write(o, d, mark);
}

RunState::OrderResult RunState::write(const SourcingOrder& o, SourcingDecision& d, const StockMark& mark) {
    const bool dry = ctx.dry_run;
    if (dry) {
        if (ctx.out && !d.plan.empty())
            *ctx.out << "would source order " << o.number << ": " << describe_plan(*this, o, d.plan) << "\n";
        if (ctx.out && d.auth_needed_cents > 0)
            *ctx.out << "would authorize " << d.auth_needed_cents << " cents on order " << o.number
                     << " before it goes in shipping (SRC-12; no gateway call in a dry run)\n";
    }
    auto failed = [&](const Error& e) {
        stock.undo_to(mark);
        if (savepoints) (void)writer.end_order(false);
        fail(e.message);
        return OrderResult::failed;
    };
    if (savepoints)
        if (auto st = writer.begin_order(); !st) return failed(st.error());
    const bool wrote = !dry && !d.plan.empty();
    if (wrote) {
        if (auto st = repo->apply(o, d.plan, ctx.run_id, writer.now_text()); !st) {
            // Without a savepoint the partial rows cannot be taken back alone: redo the batch with them.
            if (!savepoints) return OrderResult::retry_with_savepoints;
            // A row the database refuses is bad data of this order: nothing of it is kept.
            spdlog::warn("sourcing: order {}: {}", o.number, st.error().message);
            stock.undo_to(mark);
            if (auto e = writer.end_order(false); !e) return failed(e.error());
            if (auto e = writer.begin_order(); !e) return failed(e.error());
            d.plan = Plan{};
            d.to = settings.exception;
            d.reason = "write_failed:" + st.error().message;
            d.bad_data = true;
        }
    }
    if (d.to && !savepoints && !dry) {
        // Written with the batch's other transitions (apply_all) before it commits; an order the back
        // office moved meanwhile (it cannot under the batch's write lock) redoes the batch one by one.
        deferred_transitions.push_back(domain::Transition{o.id, o.status_id, *d.to, d.reason, o.number});
    } else if (d.to) {
        auto r = writer.apply(domain::Transition{o.id, o.status_id, *d.to, d.reason, o.number});
        if (!r) return failed(r.error());
        if (*r == domain::TransitionOutcome::concurrent) {
            if (!savepoints && wrote) return OrderResult::retry_with_savepoints;
            stock.undo_to(mark);
            if (savepoints)
                if (auto e = writer.end_order(false); !e) return failed(e.error());
            ++stats.skipped_concurrent;
            return OrderResult::done;
        }
        if (*r == domain::TransitionOutcome::changed) ++stats.changed;
    }
    if (d.bad_data) {
        ++stats.errors;
        spdlog::info("sourcing: order {}: bad data: {}", o.number, d.reason);
    }
    if (savepoints)
        if (auto e = writer.end_order(true); !e) return failed(e.error());
    stock.keep();
    if (wrote)
        for (const AssignStep& a : d.plan.assigns)
            if (a.from_kind == AllocKind::po_queue && a.from_vendor) received_skus.push_back(a.sku_id);
    return OrderResult::done;
}

bool RunState::refresh_stock(bool first_attempt) {
    received_skus.clear();
    deferred_transitions.clear();
    if (ctx.dry_run) return true;  // a dry run writes nothing: what it took is its own model of the batch
    auto counter = repo->others_commit_counter();
    if (!counter) {
        fail(counter.error().message);
        return false;
    }
    const bool keep = first_attempt && stock_current && *counter && *counter == last_counter;
    last_counter = *counter;
    stock_current = false;  // until this batch commits
    if (!keep) stock.inventory.clear(), stock.vendors.clear();
    return true;
}

bool RunState::run_batch(const PageFn& read, std::vector<SourcingOrder>& page, Pass pass) {
    // Every decision is made before its order writes anything, so a write fails only on a database
    // error or a row the database refuses. The batch first runs without a savepoint per order (each
    // costs a statement journal of every page it touches); if an order's rows must be taken back,
    // the batch is rolled back and redone with one savepoint per order.
    const JobStats before = stats;
    const std::size_t pending_before = pending_auth.size();
    for (int attempt = 0; attempt < 2; ++attempt) {
        savepoints = attempt > 0;
        if (auto st = writer.begin_batch(); !st) {
            fail(st.error().message);
            return false;
        }
        auto got = read();
        if (!got) {
            writer.rollback_batch();
            fail(got.error().message);
            return false;
        }
        page = std::move(*got);
        if (!refresh_stock(attempt == 0)) {
            writer.rollback_batch();
            return false;
        }
        repo->stage_writes(!savepoints && !ctx.dry_run);
        if (!page.empty() && !load_stock(page)) {
            repo->stage_writes(false);
            writer.rollback_batch();
            return false;
        }
        std::size_t done = 0;
        bool redo = false;
        for (const SourcingOrder& o : page) {
            if (ctx.stopping())
                break;  // OPS-2: the order in hand is finished, the rest waits for the next run
            const OrderResult r = process(o, pass);
            if (r == OrderResult::failed) {
                repo->stage_writes(false);
                writer.rollback_batch();
                pending_auth.clear();
                return false;
            }
            if (r == OrderResult::retry_with_savepoints) {
                redo = true;
                break;
            }
            ++done;
        }
        if (!redo && !savepoints && !ctx.dry_run) {
            // The first attempt's new rows, collected by apply(), go in with multi-row statements; a row
            // refused (bad data of one order) redoes the batch one order at a time, which isolates it.
            if (auto st = repo->flush_writes(); !st) {
                spdlog::debug("sourcing: batch redone one order at a time: {}", st.error().message);
                redo = true;
            }
            repo->stage_writes(false);
        }
        if (!redo && !deferred_transitions.empty()) {
            auto outcomes = writer.apply_all(deferred_transitions);
            if (!outcomes) {
                writer.rollback_batch();
                fail(outcomes.error().message);
                pending_auth.clear();
                return false;
            }
            for (const auto out : *outcomes) {
                if (out == domain::TransitionOutcome::changed) ++stats.changed;
                if (out == domain::TransitionOutcome::concurrent) redo = true;
            }
        }
        if (redo) {
            repo->stage_writes(false);
            writer.rollback_batch();
            stats = before;
            pending_auth.resize(pending_before);
            continue;
        }
        if (auto st = writer.commit_batch(); !st) {
            fail(st.error().message);
            pending_auth.clear();
            return false;
        }
        if (ctx.progress)
            ctx.progress->done.fetch_add(static_cast<std::int64_t>(done), std::memory_order_relaxed);
        // A queue line shrunk by a receipt changes the vendor's availability in a way the run does not
        // track: those SKUs are read again. SRC-12 orders are sourced in transactions of their own.
        for (RowId sku : received_skus) stock.vendors.forget(sku);
        stock_current = pending_auth.empty();
        savepoints = true;
        return authorize_pending();
    }
    fail("sourcing: a batch could not be written even with one savepoint per order");
    return false;
}

bool RunState::backorder_pass() {
    if (!settings.auto_fulfill_backorders || settings.backorder_statuses.empty()) return true;
    auto n = repo->snapshot_backordered(settings.backorder_statuses);
    if (!n) {
        fail(n.error().message);
        return false;
    }
    if (*n == 0) return true;
    if (ctx.progress) ctx.progress->selected.fetch_add(*n, std::memory_order_relaxed);
    std::string after_created;
    RowId after_id = 0;
    std::vector<SourcingOrder> page;
    const PageFn read = [&]() {
        return repo->page_backordered(after_created, after_id, ctx.cfg.daemon.batch_size);
    };
    while (!ctx.stopping()) {
        if (!run_batch(read, page, Pass::backorders)) return false;
        if (page.empty()) return true;
        after_created = page.back().created_at;
        after_id = page.back().id;
    }
    return true;
}

void RunState::main_pass() {
    if (settings.statuses.empty()) return;
    RowId after = 0;
    std::vector<SourcingOrder> page;
    const PageFn read = [&]() {
        return repo->page_by_id(settings.statuses, after, ctx.cfg.daemon.batch_size);
    };
    while (!ctx.stopping()) {
        if (!run_batch(read, page, Pass::main) || page.empty()) return;
        after = page.back().id;
    }
}

void SourcingJob::run(JobContext& ctx, JobStats& stats) {
    auto settings = resolve_settings(ctx.cfg, ctx.catalog);
    if (!settings) {
        stats.failure = settings.error().message;
        return;
    }
    auto repo = ctx.services.store.sourcing();
    if (!repo) {
        stats.failure = repo.error().message;
        return;
    }
    auto writer = sourcing_writer(ctx);
    if (!writer) {
        stats.failure = writer.error().message;
        return;
    }
    auto ref = (*repo)->load_reference();  // SRC-8/9 reference data, cached for the run
    if (!ref) {
        stats.failure = ref.error().message;
        return;
    }
    RunState rs(ctx, stats, std::move(*settings), std::move(*ref), std::move(*repo), std::move(*writer));
    rs.use_gateway = rs.settings.rts_auth && !ctx.dry_run;
    if (ctx.progress) {
        std::int64_t total = 0;
        if (auto n = rs.repo->count_in_statuses(rs.settings.statuses)) total += *n;
        ctx.progress->selected.store(total, std::memory_order_relaxed);
    }
    if (!rs.reconcile_rts()) return;  // OPS-6: SRC-12 authorizations left open by an earlier run
    if (rs.backorder_pass()) rs.main_pass();
}

}  // namespace olmd::jobs::sourcing

namespace olmd::jobs {

std::unique_ptr<Job> make_sourcing_job() {
    return std::make_unique<sourcing::SourcingJob>();
}

}  // namespace olmd::jobs
