//! Diesel's view of the tables: the portable types both backends share.

diesel::table! {
    instance_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    workspaces (id) {
        id -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        workspace_id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        disabled_at -> Nullable<Timestamp>,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        last_login_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        workspace_id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        workspace_id -> Text,
        name -> Text,
        prefix -> Text,
        secret_hash -> Text,
        scopes -> Text,
        rate_limit_per_minute -> Nullable<Integer>,
        created_by -> Nullable<Text>,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        workspace_id -> Text,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        resource_type -> Text,
        resource_id -> Nullable<Text>,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        request_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> workspaces (workspace_id));
diesel::joinable!(api_keys -> workspaces (workspace_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    workspaces,
    users,
    refresh_tokens,
    api_keys,
    audit_log
);

diesel::table! {
    accounts (id) {
        id -> Text,
        workspace_id -> Text,
        kind -> Text,
        name -> Text,
        emails -> Text,
        phones -> Text,
        address -> Nullable<Text>,
        tags -> Text,
        attributes -> Text,
        lifecycle_stage -> Text,
        owner_id -> Nullable<Text>,
        acquisition_channel -> Nullable<Text>,
        acquisition_cost_amount -> Nullable<BigInt>,
        acquisition_cost_currency -> Nullable<Text>,
        marketing_consent -> Text,
        external_id -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        merged_into -> Nullable<Text>,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_tags (account_id, tag) {
        workspace_id -> Text,
        account_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    account_search_terms (account_id, term) {
        workspace_id -> Text,
        account_id -> Text,
        term -> Text,
    }
}

diesel::table! {
    account_lifecycle_changes (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        from_stage -> Nullable<Text>,
        to_stage -> Text,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    consent_events (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        channel -> Text,
        status -> Text,
        method -> Nullable<Text>,
        source -> Nullable<Text>,
        occurred_at -> Timestamp,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        name -> Text,
        title -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        is_primary -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    interactions (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        contact_id -> Nullable<Text>,
        #[sql_name = "type"]
        kind -> Text,
        channel -> Nullable<Text>,
        direction -> Nullable<Text>,
        subject -> Nullable<Text>,
        body -> Nullable<Text>,
        occurred_at -> Timestamp,
        author_type -> Text,
        author_id -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
        done_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        external_id -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (workspace_id, key) {
        workspace_id -> Text,
        key -> Text,
        fingerprint -> Text,
        status_code -> Integer,
        response -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pipelines (id) {
        id -> Text,
        workspace_id -> Text,
        name -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    pipeline_stages (id) {
        id -> Text,
        workspace_id -> Text,
        pipeline_id -> Text,
        name -> Text,
        probability -> Integer,
        kind -> Text,
        position -> Integer,
        created_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
        number -> Integer,
    }
}

diesel::table! {
    deals (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        contact_id -> Nullable<Text>,
        title -> Text,
        amount -> BigInt,
        currency -> Text,
        pipeline_id -> Text,
        stage_id -> Text,
        status -> Text,
        owner_id -> Nullable<Text>,
        expected_close_on -> Nullable<Text>,
        source -> Nullable<Text>,
        lost_reason -> Nullable<Text>,
        stage_entered_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        first_stage_change_at -> Nullable<Timestamp>,
        last_stage_change_at -> Nullable<Timestamp>,
        stages_entered -> Text,
    }
}

diesel::table! {
    deal_stage_changes (id) {
        id -> Text,
        workspace_id -> Text,
        deal_id -> Text,
        pipeline_id -> Text,
        from_stage_id -> Nullable<Text>,
        to_stage_id -> Text,
        lost_reason -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        changed_at -> Timestamp,
        left_at -> Nullable<Timestamp>,
        seconds_in_stage -> Nullable<BigInt>,
        to_stage_number -> Integer,
    }
}

diesel::table! {
    deal_stay_days (workspace_id, pipeline_id, day, stage_number, hours) {
        workspace_id -> Text,
        pipeline_id -> Text,
        day -> Integer,
        stage_number -> Integer,
        hours -> BigInt,
        stays -> BigInt,
    }
}

diesel::joinable!(account_tags -> accounts (account_id));
diesel::joinable!(account_search_terms -> accounts (account_id));
diesel::joinable!(contacts -> accounts (account_id));
diesel::joinable!(interactions -> accounts (account_id));
diesel::joinable!(pipeline_stages -> pipelines (pipeline_id));
diesel::joinable!(deals -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    account_tags,
    account_search_terms,
    account_lifecycle_changes,
    consent_events,
    contacts,
    interactions,
    users,
    pipelines,
    pipeline_stages,
    deals,
    deal_stage_changes,
    deal_stay_days,
);

// ---------------------------------------------------------------------------------------
// Customer value (migration 000004_value)

diesel::table! {
    workspace_value_settings (workspace_id) {
        workspace_id -> Text,
        reporting_currency -> Text,
        exchange_rates -> Text,
        default_margin_percent -> Double,
        monthly_discount_rate -> Double,
        risk_thresholds -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
        purchase_model -> Text,
        cost_to_serve -> Text,
    }
}

diesel::table! {
    orders (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        external_id -> Nullable<Text>,
        amount -> BigInt,
        currency -> Text,
        cost -> Nullable<BigInt>,
        reporting_amount -> BigInt,
        reporting_cost -> Nullable<BigInt>,
        refunded_amount -> BigInt,
        status -> Text,
        occurred_at -> Timestamp,
        purchase_day -> Integer,
        channel -> Nullable<Text>,
        items -> Text,
        source -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    order_refunds (id) {
        id -> Text,
        workspace_id -> Text,
        order_id -> Text,
        amount -> BigInt,
        reason -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    account_purchase_days (account_id, day) {
        workspace_id -> Text,
        account_id -> Text,
        day -> Integer,
        orders -> Integer,
        revenue -> BigInt,
        costed_revenue -> BigInt,
        cost -> BigInt,
        first_at -> Timestamp,
        last_at -> Timestamp,
    }
}

diesel::table! {
    account_metrics (account_id) {
        account_id -> Text,
        workspace_id -> Text,
        orders_count -> BigInt,
        revenue -> BigInt,
        costed_revenue -> BigInt,
        cost -> BigInt,
        first_order_at -> Nullable<Timestamp>,
        last_order_at -> Nullable<Timestamp>,
        first_day -> Nullable<Integer>,
        last_day -> Nullable<Integer>,
        repeat_purchases -> BigInt,
        repeat_revenue -> BigInt,
        rfm_r -> Nullable<Integer>,
        rfm_f -> Nullable<Integer>,
        rfm_m -> Nullable<Integer>,
        rfm_segment -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    value_models (id) {
        id -> Text,
        workspace_id -> Text,
        version -> BigInt,
        as_of -> Timestamp,
        fitted_at -> Timestamp,
        customers -> BigInt,
        bgnbd -> Nullable<Text>,
        gamma_gamma -> Nullable<Text>,
        rfm_breakpoints -> Nullable<Text>,
        report -> Text,
        purchase_model -> Nullable<Text>,
    }
}

diesel::table! {
    job_leases (name) {
        name -> Text,
        holder -> Text,
        expires_at -> Timestamp,
        last_run_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(orders -> accounts (account_id));
diesel::joinable!(account_metrics -> accounts (account_id));
diesel::joinable!(order_refunds -> orders (order_id));
diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    orders,
    order_refunds,
    account_metrics,
    account_purchase_days,
);

// ---------------------------------------------------------------------------------------
// Loyalty (migration 000006_loyalty)

diesel::table! {
    loyalty_programs (workspace_id) {
        workspace_id -> Text,
        currency -> Text,
        definition -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    loyalty_members (account_id) {
        account_id -> Text,
        workspace_id -> Text,
        tier -> Integer,
        ledger_sum -> BigInt,
        tier_evaluated_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    loyalty_lots (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        source_type -> Text,
        source_id -> Nullable<Text>,
        earned_at -> Timestamp,
        points -> BigInt,
        remaining -> BigInt,
        expired -> BigInt,
        available_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        spend_minor -> BigInt,
        refunded_minor -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    loyalty_entries (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        kind -> Text,
        points -> BigInt,
        spend_minor -> BigInt,
        lot_id -> Nullable<Text>,
        source_type -> Text,
        source_id -> Nullable<Text>,
        idempotency_key -> Text,
        reason -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    loyalty_rewards (id) {
        id -> Text,
        workspace_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        points_cost -> BigInt,
        stock -> Nullable<BigInt>,
        available_from -> Nullable<Timestamp>,
        available_until -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    loyalty_redemptions (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        reward_id -> Nullable<Text>,
        points -> BigInt,
        status -> Text,
        entry_id -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        fulfilled_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
    }
}

// Loyalty records read through their account (a deleted account hides them).
diesel::joinable!(loyalty_entries -> accounts (account_id));
diesel::joinable!(loyalty_redemptions -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(accounts, loyalty_entries, loyalty_redemptions);

diesel::table! {
    event_sequences (workspace_id) {
        workspace_id -> Text,
        last_seq -> BigInt,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        workspace_id -> Text,
        seq -> BigInt,
        event_type -> Text,
        occurred_at -> Timestamp,
        data -> Text,
        last_seq -> BigInt,
    }
}

diesel::table! {
    pending_effects (id) {
        id -> Text,
        workspace_id -> Text,
        account_ids -> Text,
        whole_workspace -> Bool,
        created_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    loyalty_lot_notices (lot_id) {
        lot_id -> Text,
        workspace_id -> Text,
        announced_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(loyalty_lots, loyalty_lot_notices);

// ---------------------------------------------------------------------------------------
// Webhooks (migration 2026-12-05-100000_webhooks)

diesel::table! {
    webhooks (id) {
        id -> Text,
        workspace_id -> Text,
        url -> Text,
        description -> Nullable<Text>,
        event_types -> Text,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_expires_at -> Nullable<Timestamp>,
        cursor_seq -> BigInt,
        head_attempts -> Integer,
        failing_since -> Nullable<Timestamp>,
        next_attempt_at -> Nullable<Timestamp>,
        lease_holder -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        batch_size -> Integer,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        workspace_id -> Text,
        webhook_id -> Text,
        event_id -> Text,
        event_type -> Text,
        event_seq -> BigInt,
        attempt -> Integer,
        trigger -> Text,
        outcome -> Text,
        status_code -> Nullable<Integer>,
        latency_ms -> BigInt,
        error -> Nullable<Text>,
        next_retry_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        event_count -> Integer,
        event_ids -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(webhooks, event_sequences, events);

// ---------------------------------------------------------------------------------------
// Segments by rules (migration 2026-12-06-000001_segments)

diesel::table! {
    segments (id) {
        id -> Text,
        workspace_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        rule -> Text,
        tracked -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    segment_memberships (segment_id, account_id) {
        segment_id -> Text,
        account_id -> Text,
        workspace_id -> Text,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    account_predictions (account_id) {
        account_id -> Text,
        workspace_id -> Text,
        churn_probability -> Double,
        expected_orders_90d -> Double,
        clv -> Nullable<BigInt>,
        predicted_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    segments,
    segment_memberships,
    account_predictions,
    loyalty_members,
);

// ---------------------------------------------------------------------------------------
// Campaigns (migration 2026-12-07-000001_campaigns)

diesel::table! {
    campaigns (id) {
        id -> Text,
        workspace_id -> Text,
        name -> Text,
        goal -> Nullable<Text>,
        channel -> Text,
        segment_id -> Text,
        offer_id -> Nullable<Text>,
        currency -> Text,
        cost_fixed -> BigInt,
        cost_per_contact -> BigInt,
        attribution_window_days -> Integer,
        control_share -> Double,
        stratify -> Bool,
        respect_global_control -> Bool,
        conversion_category -> Nullable<Text>,
        status -> Text,
        launched_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        eligible -> BigInt,
        excluded_no_consent -> BigInt,
        excluded_global_control -> BigInt,
        treated -> BigInt,
        control -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        attributed_from -> Nullable<Timestamp>,
        attributed_to -> Nullable<Timestamp>,
    }
}

diesel::table! {
    campaign_members (campaign_id, account_id) {
        campaign_id -> Text,
        account_id -> Text,
        workspace_id -> Text,
        arm -> Text,
        rfm_segment -> Nullable<Text>,
        risk_band -> Nullable<Text>,
        orders -> BigInt,
        revenue -> BigInt,
        margin -> BigInt,
    }
}

diesel::table! {
    campaign_exposures (campaign_id, account_id, outcome) {
        campaign_id -> Text,
        account_id -> Text,
        outcome -> Text,
        workspace_id -> Text,
        occurred_at -> Timestamp,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    campaign_settings (workspace_id) {
        workspace_id -> Text,
        global_control_share -> Double,
        global_control_epoch -> BigInt,
        redrawn_at -> Nullable<Timestamp>,
        redraw_every_days -> Nullable<Integer>,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(campaign_members -> campaigns (campaign_id));
diesel::allow_tables_to_appear_in_same_query!(campaigns, campaign_members, campaign_exposures);
// The audience read at launch joins an account's stored RFM segment and prediction.
diesel::allow_tables_to_appear_in_same_query!(account_metrics, account_predictions);

// Customer economics (migration 2026-12-07-000003_marketing_spend)

diesel::table! {
    marketing_spend (workspace_id, channel, month) {
        workspace_id -> Text,
        channel -> Text,
        month -> Text,
        amount -> BigInt,
        currency -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

// Feedback and service recovery (migration 2026-12-08-000002_feedback)

diesel::table! {
    feedback_responses (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        external_id -> Nullable<Text>,
        nps -> Nullable<Integer>,
        nps_category -> Nullable<Text>,
        csat -> Nullable<Integer>,
        ces -> Nullable<Integer>,
        touchpoint -> Text,
        channel -> Nullable<Text>,
        order_id -> Nullable<Text>,
        interaction_id -> Nullable<Text>,
        comment -> Nullable<Text>,
        occurred_at -> Timestamp,
        created_at -> Timestamp,
        outcome_orders -> BigInt,
        outcome_revenue -> BigInt,
    }
}

diesel::table! {
    account_satisfaction (workspace_id, account_id) {
        workspace_id -> Text,
        account_id -> Text,
        nps -> Nullable<Integer>,
        nps_category -> Nullable<Text>,
        nps_at -> Nullable<Timestamp>,
        csat -> Nullable<Integer>,
        csat_at -> Nullable<Timestamp>,
        ces -> Nullable<Integer>,
        ces_at -> Nullable<Timestamp>,
        responses -> BigInt,
        last_response_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    complaints (id) {
        id -> Text,
        workspace_id -> Text,
        account_id -> Text,
        order_id -> Nullable<Text>,
        contact_id -> Nullable<Text>,
        interaction_id -> Nullable<Text>,
        feedback_id -> Nullable<Text>,
        category -> Text,
        severity -> Text,
        channel -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        subject -> Text,
        description -> Nullable<Text>,
        status -> Text,
        opened_at -> Timestamp,
        first_response_due_at -> Timestamp,
        resolution_due_at -> Timestamp,
        first_responded_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        first_response_breached_at -> Nullable<Timestamp>,
        resolution_breached_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    complaint_history (id) {
        id -> Text,
        workspace_id -> Text,
        complaint_id -> Text,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        body -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    complaint_compensations (complaint_id, kind) {
        workspace_id -> Text,
        complaint_id -> Text,
        kind -> Text,
        points -> Nullable<BigInt>,
        amount -> Nullable<BigInt>,
        currency -> Nullable<Text>,
        reporting_amount -> Nullable<BigInt>,
        order_id -> Nullable<Text>,
        reference_id -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_settings (workspace_id) {
        workspace_id -> Text,
        definition -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Survey responses per account and calendar month (`month` = year × 12 + month − 1),
    /// with the month's latest NPS response.
    feedback_account_months (workspace_id, account_id, month) {
        workspace_id -> Text,
        account_id -> Text,
        month -> Integer,
        responses -> BigInt,
        nps_responses -> BigInt,
        promoters -> BigInt,
        detractors -> BigInt,
        csat_responses -> BigInt,
        csat_sum -> BigInt,
        csat_satisfied -> BigInt,
        ces_responses -> BigInt,
        ces_sum -> BigInt,
        latest_nps_at -> Nullable<Timestamp>,
        latest_nps_id -> Nullable<Text>,
        latest_nps_category -> Nullable<Text>,
        latest_nps_orders -> BigInt,
        latest_nps_revenue -> BigInt,
        next_nps_month -> Nullable<Integer>,
    }
}

diesel::joinable!(feedback_responses -> accounts (account_id));
diesel::joinable!(complaints -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(accounts, feedback_responses, complaints);

// ---------------------------------------------------------------------------------------
// Product recommendations (migration 2026-12-08-000004_recommendations)

diesel::table! {
    recommendation_items (workspace_id, sku) {
        workspace_id -> Text,
        sku -> Text,
        name -> Nullable<Text>,
        category -> Nullable<Text>,
        buyers -> BigInt,
        repurchase_days -> Nullable<BigInt>,
        neighbours -> Text,
    }
}

diesel::table! {
    recommendation_refreshes (workspace_id) {
        workspace_id -> Text,
        refreshed_at -> Timestamp,
        customers -> BigInt,
        lines -> BigInt,
        items -> BigInt,
        pairs -> BigInt,
    }
}

// ---------------------------------------------------------------------------------------
// Offers and vouchers (migration 2026-12-08-000001_offers)

diesel::table! {
    offers (id) {
        id -> Text,
        workspace_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        kind -> Text,
        percent -> Nullable<Integer>,
        amount -> Nullable<BigInt>,
        currency -> Nullable<Text>,
        points -> Nullable<BigInt>,
        points_multiplier -> Nullable<Double>,
        reward_id -> Nullable<Text>,
        benefit -> Nullable<Text>,
        eligibility -> Text,
        valid_from -> Nullable<Timestamp>,
        valid_until -> Nullable<Timestamp>,
        voucher_valid_days -> Nullable<Integer>,
        cost_per_redemption -> BigInt,
        budget -> Nullable<BigInt>,
        per_customer_cap -> Nullable<BigInt>,
        total_cap -> Nullable<BigInt>,
        campaign_id -> Nullable<Text>,
        status -> Text,
        issued -> BigInt,
        redemptions -> BigInt,
        spent -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    vouchers (id) {
        id -> Text,
        workspace_id -> Text,
        offer_id -> Text,
        account_id -> Text,
        code -> Text,
        state -> Text,
        valid_until -> Nullable<Timestamp>,
        campaign_id -> Nullable<Text>,
        order_id -> Nullable<Text>,
        discount -> BigInt,
        discount_currency -> Nullable<Text>,
        cost -> BigInt,
        bonus_points -> BigInt,
        issued_at -> Timestamp,
        redeemed_at -> Nullable<Timestamp>,
        expiring_announced_at -> Nullable<Timestamp>,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    voucher_history (id) {
        id -> Text,
        voucher_id -> Text,
        workspace_id -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        order_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::joinable!(vouchers -> offers (offer_id));
diesel::allow_tables_to_appear_in_same_query!(offers, vouchers, voucher_history);

diesel::table! {
    import_jobs (id) {
        id -> Text,
        workspace_id -> Text,
        import_type -> Text,
        format -> Text,
        status -> Text,
        dry_run -> Bool,
        mapping -> Text,
        header -> Nullable<Text>,
        unknown_columns -> Text,
        bytes_total -> BigInt,
        chunks -> BigInt,
        byte_offset -> BigInt,
        rows_read -> BigInt,
        rows_created -> BigInt,
        rows_updated -> BigInt,
        rows_unchanged -> BigInt,
        rows_failed -> BigInt,
        error_code -> Nullable<Text>,
        error_message -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        scopes -> Text,
        lease_holder -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    import_chunks (job_id, seq) {
        job_id -> Text,
        seq -> BigInt,
        workspace_id -> Text,
        data -> Binary,
    }
}

diesel::table! {
    import_errors (job_id, row_number, position) {
        job_id -> Text,
        row_number -> BigInt,
        position -> BigInt,
        workspace_id -> Text,
        field -> Text,
        code -> Text,
        message -> Text,
    }
}
// ---------------------------------------------------------------------------------------
// Privacy (migration 2026-12-09-000003_privacy)

diesel::table! {
    privacy_settings (workspace_id) {
        workspace_id -> Text,
        soft_deleted_days -> Nullable<Integer>,
        version -> BigInt,
        updated_at -> Timestamp,
        export_retention_hours -> Nullable<Integer>,
    }
}

// ---------------------------------------------------------------------------------------
// Exports (migration 2026-12-10-000001_exports)

diesel::table! {
    export_jobs (id) {
        id -> Text,
        workspace_id -> Text,
        export_type -> Text,
        format -> Text,
        filters -> Text,
        status -> Text,
        rows_written -> BigInt,
        bytes_written -> BigInt,
        chunks -> BigInt,
        error_code -> Nullable<Text>,
        error_message -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        scopes -> Text,
        lease_holder -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    export_chunks (job_id, seq) {
        job_id -> Text,
        seq -> BigInt,
        workspace_id -> Text,
        data -> Binary,
    }
}
