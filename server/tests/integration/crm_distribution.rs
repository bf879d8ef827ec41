//! CRM, part 2: round-robin distribution. Rotation order and its continuation, offline and full consultants
//! skipped, the queue and its oldest-first drain, a returning phone, 50 leads at once over 5 consultants, a
//! consultant going offline while leads arrive, and the reason on the timeline.

use std::collections::{HashMap, HashSet};

use app::crm::{
    distribution::{self, settings},
    leads::{self, Actor, Created, Move, NewLead},
    types::{Product, Source},
};
use app::platform::{
    auth::Role,
    fields::Phone,
    live::{Event, ServerMessage, publish},
    tenancy::TenantTx,
};
use reqwest::StatusCode;
use server::test_support::TestServer;
use uuid::Uuid;

use crate::crm::{books, seeded, signed_in};

fn lead(phone: &str) -> NewLead {
    NewLead {
        name: "Cliente Rodízio".into(),
        phone: Phone::parse(phone).unwrap(),
        email: None,
        product: Product::Vehicle,
        value_cents: None,
        down_payment_cents: None,
        monthly_income_cents: None,
        source: Source::WebForm,
        owner_id: None,
    }
}

/// A distinct mobile number per `n`.
fn phone(n: usize) -> String {
    format!("(83) 97{:03}-{:04}", n / 10_000, n % 10_000)
}

/// `count` new consultants of famath, in rotation order (none has had a lead yet: ids break the tie, and ids made
/// in the same millisecond are not in creation order). The demo's own consultant stays away (not available, no
/// socket), so only these can be picked.
async fn consultants(server: &TestServer, count: usize) -> Vec<Uuid> {
    let mut tx = books(server, "famath").await;
    let mut ids = Vec::new();
    for n in 0..count {
        let id: Uuid = sqlx::query_scalar(
            "insert into users (tenant_id, name, email, role)
             values (current_tenant_id(), $1, $2, 'consultant') returning id",
        )
        .bind(format!("Consultor {n}"))
        .bind(format!("consultor{n}@famath.example"))
        .fetch_one(tx.conn())
        .await
        .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    ids.sort_unstable();
    ids
}

/// Sets a consultant's toggle and capacity through the service, in its own transaction.
async fn standing(server: &TestServer, user: Uuid, available: bool, capacity: i32) {
    let mut tx = books(server, "famath").await;
    settings::set_capacity(&mut tx, user, capacity).await.unwrap();
    settings::set_available(&mut tx, user, available).await.unwrap();
    tx.commit().await.unwrap();
}

/// Creates a lead in its own transaction (as the public form does).
async fn arrive(server: &TestServer, phone: &str) -> Created {
    let mut tx = books(server, "famath").await;
    let created = leads::create(&mut tx, None, &lead(phone)).await.unwrap();
    tx.commit().await.unwrap();
    created
}

async fn owner(server: &TestServer, lead: Uuid) -> Option<Uuid> {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar("select owner_id from crm_leads where id = $1").bind(lead).fetch_one(tx.conn()).await.unwrap()
}

/// The reasons of the lead's assignments, oldest first.
async fn reasons(server: &TestServer, lead: Uuid) -> Vec<String> {
    let mut tx = books(server, "famath").await;
    sqlx::query_scalar(
        "select detail->>'reason' from crm_lead_events where lead_id = $1 and kind = 'assigned' order by created_at, id",
    )
    .bind(lead)
    .fetch_all(tx.conn())
    .await
    .unwrap()
}

/// A live socket of `user` was seen just now (what the live channel records once a minute per socket).
async fn online(server: &TestServer, user: Uuid) {
    let mut tx = books(server, "famath").await;
    publish::seen(&mut tx, user).await.unwrap();
    tx.commit().await.unwrap();
}

/// `user`'s sockets all went quiet long ago.
async fn offline(server: &TestServer, user: Uuid) {
    let mut tx = books(server, "famath").await;
    sqlx::query("update live_last_seen set seen_at = now() - interval '1 hour' where user_id = $1")
        .bind(user)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn staff(tx: &mut TenantTx) -> Actor {
    let user_id: Uuid = sqlx::query_scalar("select id from users where email = 'secretaria@famath.example'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    Actor { user_id, role: Role::Staff }
}

/// Staff moves the lead to its pipeline's won stage.
async fn win(server: &TestServer, lead: Uuid) {
    let mut tx = books(server, "famath").await;
    let actor = staff(&mut tx).await;
    let (stage, version): (Uuid, i64) = sqlx::query_as(
        "select s.id, l.version from crm_leads l join crm_stages s on s.pipeline_id = l.pipeline_id
          where l.id = $1 and s.outcome = 'won'",
    )
    .bind(lead)
    .fetch_one(tx.conn())
    .await
    .unwrap();
    leads::move_lead(&mut tx, actor, lead, Move { stage_id: stage, after: None, version }).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn leads_go_round_in_turn_and_the_rotation_continues_where_it_left_off() {
    let server = seeded().await;
    let team = consultants(&server, 3).await;
    for id in &team {
        standing(&server, *id, true, 20).await;
    }
    let mut owners = Vec::new();
    for n in 0..7 {
        let created = arrive(&server, &phone(n)).await;
        assert!(matches!(created, Created::New(_)));
        owners.push(owner(&server, created.id()).await.unwrap());
    }
    let (a, b, c) = (team[0], team[1], team[2]);
    assert_eq!(owners, vec![a, b, c, a, b, c, a]);
    // A lead given by hand does not move anyone's turn: the rotation goes on with b.
    let mut tx = books(&server, "famath").await;
    let actor = staff(&mut tx).await;
    let manual =
        leads::create(&mut tx, Some(actor.user_id), &NewLead { owner_id: Some(c), ..lead(&phone(50)) }).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(owner(&server, manual.id()).await, Some(c));
    let next = arrive(&server, &phone(8)).await;
    assert_eq!(owner(&server, next.id()).await, Some(b));
    assert_eq!(reasons(&server, next.id()).await, vec!["rotation"]);
}

#[tokio::test]
async fn offline_and_full_consultants_are_skipped_and_come_back_when_they_can() {
    let server = seeded().await;
    let team = consultants(&server, 3).await;
    let (full, present, away) = (team[0], team[1], team[2]);
    standing(&server, full, true, 1).await;
    standing(&server, present, false, 20).await;
    standing(&server, away, false, 20).await;
    // `present` has no toggle on but a live socket; `away` has neither.
    online(&server, present).await;

    let first = arrive(&server, &phone(1)).await;
    assert_eq!(owner(&server, first.id()).await, Some(full));
    for n in 2..5 {
        let next = arrive(&server, &phone(n)).await;
        assert_eq!(owner(&server, next.id()).await, Some(present), "lead {n}: `full` is full, `away` is away");
    }
    // `away` opens the board; `full` wins their lead and has room again.
    online(&server, away).await;
    win(&server, first.id()).await;
    let owners: HashSet<Option<Uuid>> = [
        owner(&server, arrive(&server, &phone(5)).await.id()).await,
        owner(&server, arrive(&server, &phone(6)).await.id()).await,
    ]
    .into();
    assert_eq!(owners, [Some(away), Some(full)].into(), "both waited longest");
}

#[tokio::test]
async fn with_nobody_eligible_leads_wait_and_go_out_oldest_first_when_someone_can_take_them() {
    let server = seeded().await;
    let team = consultants(&server, 2).await;
    let (a, b) = (team[0], team[1]);
    standing(&server, a, false, 2).await;
    standing(&server, b, false, 20).await;
    let mut waiting = Vec::new();
    for n in 0..4 {
        let created = arrive(&server, &phone(n)).await;
        assert_eq!(owner(&server, created.id()).await, None);
        waiting.push(created.id());
    }
    let mut tx = books(&server, "famath").await;
    let queued: Vec<Uuid> =
        sqlx::query_scalar("select lead_id from crm_lead_events where kind = 'queued' order by created_at, id")
            .fetch_all(tx.conn())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(queued, waiting);

    // `a` switches "disponível" on: the two oldest go to them (their capacity), the rest still wait.
    let mut tx = books(&server, "famath").await;
    settings::set_available(&mut tx, a, true).await.unwrap();
    tx.commit().await.unwrap();
    let owners = [
        owner(&server, waiting[0]).await,
        owner(&server, waiting[1]).await,
        owner(&server, waiting[2]).await,
        owner(&server, waiting[3]).await,
    ];
    assert_eq!(owners, [Some(a), Some(a), None, None]);
    assert_eq!(reasons(&server, waiting[0]).await, vec!["queue_drain"]);

    // A newer lead arriving now waits behind the older ones.
    let newest = arrive(&server, &phone(9)).await.id();
    assert_eq!(owner(&server, newest).await, None);

    // `a` wins one: room for exactly the oldest waiting.
    win(&server, waiting[0]).await;
    assert_eq!(owner(&server, waiting[2]).await, Some(a));
    assert_eq!(owner(&server, waiting[3]).await, None);

    // `b` comes online (a socket opens): the drain that presence and the periodic job run hands out the rest.
    online(&server, b).await;
    let mut tx = books(&server, "famath").await;
    assert_eq!(distribution::drain_queue(&mut tx).await.unwrap(), 2);
    tx.commit().await.unwrap();
    assert_eq!(owner(&server, waiting[3]).await, Some(b));
    assert_eq!(owner(&server, newest).await, Some(b));
    let mut tx = books(&server, "famath").await;
    let still: i64 = sqlx::query_scalar("select count(*) from crm_leads where queued_at is not null")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    assert_eq!(still, 0);
}

#[tokio::test]
async fn the_periodic_job_is_enqueued_once_a_minute_for_tenants_with_leads_waiting() {
    let server = seeded().await;
    consultants(&server, 1).await;
    arrive(&server, &phone(1)).await;
    server::jobs::crm_queue::enqueue_drains(server.pool.clone()).await.unwrap();
    server::jobs::crm_queue::enqueue_drains(server.pool.clone()).await.unwrap();
    let mut tx = books(&server, "famath").await;
    let jobs: i64 =
        sqlx::query_scalar("select count(*) from jobs where kind = 'crm.queue'").fetch_one(tx.conn()).await.unwrap();
    tx.commit().await.unwrap();
    let mut other = books(&server, "credvale").await;
    let elsewhere: i64 =
        sqlx::query_scalar("select count(*) from jobs where kind = 'crm.queue'").fetch_one(other.conn()).await.unwrap();
    assert!(jobs == 1 || jobs == 2, "one per minute ({jobs}: a minute may have turned between the two ticks)");
    assert_eq!(elsewhere, 0, "credvale has nobody waiting");
}

#[tokio::test]
async fn a_returning_phone_stays_with_its_open_lead_or_is_offered_to_the_closed_ones_consultant() {
    let server = seeded().await;
    let team = consultants(&server, 2).await;
    let (a, b) = (team[0], team[1]);
    standing(&server, a, true, 20).await;
    standing(&server, b, true, 20).await;

    // Still open: the phone writes again, no new lead, it stays with `a` while `a` is present.
    let open = arrive(&server, &phone(1)).await;
    assert_eq!(owner(&server, open.id()).await, Some(a));
    let again = arrive(&server, &phone(1)).await;
    assert_eq!(again, Created::Attached(open.id()));
    assert_eq!(owner(&server, open.id()).await, Some(a));
    // `a` goes away: the next time the phone writes, the lead goes to whoever is next.
    standing(&server, a, false, 20).await;
    arrive(&server, &phone(1)).await;
    assert_eq!(owner(&server, open.id()).await, Some(b));
    assert_eq!(reasons(&server, open.id()).await, vec!["rotation", "rotation"]);
    standing(&server, a, true, 20).await;

    // Closed (won): a new lead, linked to the old one, offered first to its consultant even though the rotation
    // would pick someone else.
    let closed = arrive(&server, &phone(2)).await;
    let first_owner = owner(&server, closed.id()).await.unwrap();
    win(&server, closed.id()).await;
    let returned = arrive(&server, &phone(2)).await;
    assert!(matches!(returned, Created::New(id) if id != closed.id()));
    assert_eq!(owner(&server, returned.id()).await, Some(first_owner));
    assert_eq!(reasons(&server, returned.id()).await, vec!["returning_lead"]);
    let mut tx = books(&server, "famath").await;
    let previous: Option<Uuid> = sqlx::query_scalar("select previous_lead_id from crm_leads where id = $1")
        .bind(returned.id())
        .fetch_one(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(previous, Some(closed.id()));

    // Closed, but its consultant is full now: rotation instead.
    let other = if first_owner == a { b } else { a };
    win(&server, returned.id()).await;
    standing(&server, first_owner, true, 0).await;
    let third = arrive(&server, &phone(2)).await;
    assert_eq!(owner(&server, third.id()).await, Some(other));
    assert_eq!(reasons(&server, third.id()).await, vec!["rotation"]);
}

#[tokio::test]
async fn fifty_leads_at_once_over_five_consultants_are_shared_evenly_and_the_rotation_goes_on() {
    let server = seeded().await;
    let team = consultants(&server, 5).await;
    for id in &team {
        standing(&server, *id, true, 20).await;
    }
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap();
    // Half of them through a second server process's pool: the lock is the database's, not a process's.
    let second = server.another_process().await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..50 {
        let pool = if n % 2 == 0 { server.pool.clone() } else { second.pool.clone() };
        tasks.spawn(async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let created = leads::create(&mut tx, None, &lead(&phone(n))).await.unwrap();
            tx.commit().await.unwrap();
            created.id()
        });
    }
    let ids: Vec<Uuid> = tasks.join_all().await;
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 50);

    let mut tx = books(&server, "famath").await;
    let assignments: Vec<(Uuid, i64, Option<Uuid>)> = sqlx::query_as(
        "select l.id, (select count(*) from crm_lead_events e where e.lead_id = l.id and e.kind = 'assigned'),
                l.owner_id
           from crm_leads l where l.id = any($1)",
    )
    .bind(&ids)
    .fetch_all(tx.conn())
    .await
    .unwrap();
    let mut counts: HashMap<Uuid, usize> = HashMap::new();
    for (id, events, owner) in &assignments {
        assert_eq!(*events, 1, "lead {id} was assigned {events} times");
        *counts.entry(owner.expect("every lead has a consultant")).or_default() += 1;
    }
    assert_eq!(counts.keys().copied().collect::<HashSet<_>>(), team.iter().copied().collect());
    let (least, most) = (counts.values().min().unwrap(), counts.values().max().unwrap());
    assert!(most - least <= 1, "{counts:?}");

    // Every pick took the next turn, once: 50 turns, and each consultant's last one among the last five.
    let turns: Vec<(Uuid, i64)> =
        sqlx::query_as("select user_id, last_turn from crm_consultant_settings where last_turn is not null")
            .fetch_all(tx.conn())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let mut last: Vec<i64> = turns.iter().map(|(_, turn)| *turn).collect();
    last.sort_unstable();
    assert_eq!(last, vec![46, 47, 48, 49, 50]);
    // The rotation goes on from there: the next two leads go to the consultants whose turns came longest ago.
    let turn_of = |turn: i64| turns.iter().find(|(_, t)| *t == turn).map(|(id, _)| *id);
    let next = arrive(&server, &phone(60)).await;
    assert_eq!(owner(&server, next.id()).await, turn_of(46));
    let after = arrive(&server, &phone(61)).await;
    assert_eq!(owner(&server, after.id()).await, turn_of(47));
}

#[tokio::test]
async fn a_consultant_going_offline_while_leads_arrive_gets_none_after_and_no_lead_is_assigned_twice() {
    let server = seeded().await;
    let team = consultants(&server, 3).await;
    let (a, b, leaving) = (team[0], team[1], team[2]);
    for id in &team {
        standing(&server, *id, false, 50).await;
        online(&server, *id).await;
    }
    let tenant: Uuid =
        sqlx::query_scalar("select id from tenants where slug = 'famath'").fetch_one(&server.pool).await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..30 {
        let pool = server.pool.clone();
        tasks.spawn(async move {
            let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
            let created = leads::create(&mut tx, None, &lead(&phone(n))).await.unwrap();
            tx.commit().await.unwrap();
            Some(created.id())
        });
        if n == 10 {
            let pool = server.pool.clone();
            tasks.spawn(async move {
                let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
                sqlx::query("update live_last_seen set seen_at = now() - interval '1 hour' where user_id = $1")
                    .bind(leaving)
                    .execute(tx.conn())
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                None
            });
        }
    }
    let ids: Vec<Uuid> = tasks.join_all().await.into_iter().flatten().collect();
    assert_eq!(ids.len(), 30);
    let mut tx = books(&server, "famath").await;
    let twice: i64 = sqlx::query_scalar(
        "select count(*) from (select lead_id from crm_lead_events where kind = 'assigned' and lead_id = any($1)
                                group by lead_id having count(*) > 1) twice",
    )
    .bind(&ids)
    .fetch_one(tx.conn())
    .await
    .unwrap();
    let unowned: i64 = sqlx::query_scalar("select count(*) from crm_leads where id = any($1) and owner_id is null")
        .bind(&ids)
        .fetch_one(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((twice, unowned), (0, 0), "each lead exactly once (someone was always present)");

    // From now on `leaving` gets nothing, and the two others share evenly.
    offline(&server, leaving).await;
    let mut later = HashMap::new();
    for n in 100..106 {
        let owner = owner(&server, arrive(&server, &phone(n)).await.id()).await.unwrap();
        *later.entry(owner).or_insert(0) += 1;
    }
    assert_eq!(later, HashMap::from([(a, 3), (b, 3)]));
}

#[tokio::test]
async fn staff_reassigns_by_hand_audited_and_the_drawer_shows_each_reason() {
    let server = seeded().await;
    let team = consultants(&server, 2).await;
    let (a, b) = (team[0], team[1]);
    standing(&server, a, true, 20).await;
    let created = arrive(&server, &phone(1)).await;
    assert_eq!(owner(&server, created.id()).await, Some(a));

    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, view) =
        staff.call("crm/leads/assign", &[("id", &created.id().to_string()), ("owner_id", &b.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let timeline = view["details"]["timeline"].as_array().unwrap();
    let assigned: Vec<&str> = timeline
        .iter()
        .filter(|entry| entry["kind"] == "assigned")
        .map(|entry| entry["reason"].as_str().unwrap())
        .collect();
    assert_eq!(assigned, vec!["manual", "rotation"], "newest first: {view}");
    let mut tx = books(&server, "famath").await;
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'crm.lead_assigned' and details->>'lead_id' = $1
            and details->>'to' = $2",
    )
    .bind(created.id().to_string())
    .bind(b.to_string())
    .fetch_one(tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_consultant_who_opens_the_board_gets_the_waiting_lead_and_hears_of_it_at_once() {
    let server = seeded().await;
    server.wait_until_listening().await;
    let mut tx = books(&server, "famath").await;
    let marina: Uuid = sqlx::query_scalar("select id from users where email = 'consultora@famath.example'")
        .fetch_one(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Nobody is present: the public form's lead waits.
    let mut visitor = crate::browser::Browser::new(&server);
    let form = [
        ("tenant", "famath"),
        ("form[name]", "Joana Prado"),
        ("form[phone]", "(83) 96666-1234"),
        ("form[product]", "vehicle"),
        ("form[consent]", "true"),
    ];
    let (status, body) = visitor.call("crm/public/lead", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut tx = books(&server, "famath").await;
    let (waiting, queued): (Uuid, bool) =
        sqlx::query_as("select id, queued_at is not null from crm_leads where phone = '+5583966661234'")
            .fetch_one(tx.conn())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert!(queued);

    // Marina signs in and opens the board (a socket): the lead is hers.
    let mut marina_browser = signed_in(&server, "famath", "consultora@famath.example").await;
    let mut socket = crate::live::open(&server, &marina_browser).await;
    let topic = format!("user:{marina}");
    assert!(matches!(socket.subscribe(&topic).await, ServerMessage::Subscribed { .. }));
    let mut owned = None;
    for _ in 0..50 {
        owned = owner(&server, waiting).await;
        if owned.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(owned, Some(marina));
    assert_eq!(reasons(&server, waiting).await, vec!["queue_drain"]);

    // The next lead from the form goes to her by rotation, and her topic says so at once.
    let form = [
        ("tenant", "famath"),
        ("form[name]", "Otávio Lins"),
        ("form[phone]", "(83) 96666-4321"),
        ("form[product]", "real_estate"),
        ("form[consent]", "true"),
    ];
    let (status, body) = visitor.call("crm/public/lead", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // (The drain's event for the first lead may come first, depending on when the subscription landed.)
    loop {
        if let ServerMessage::Event { event: Event::Assigned { name, .. }, .. } =
            socket.next().await.expect("the socket stays open")
            && name == "Otávio Lins"
        {
            break;
        }
    }
    // Another consultant may not watch her topic.
    let mut rui_tx = books(&server, "famath").await;
    sqlx::query(
        "insert into users (tenant_id, name, email, role, password_hash)
         select tenant_id, 'Rui Barros', 'rui@famath.example', 'consultant', password_hash from users
          where email = 'consultora@famath.example'",
    )
    .execute(rui_tx.conn())
    .await
    .unwrap();
    rui_tx.commit().await.unwrap();
    let rui = signed_in(&server, "famath", "rui@famath.example").await;
    let mut other = crate::live::open(&server, &rui).await;
    assert!(matches!(other.subscribe(&topic).await, ServerMessage::Refused { .. }));

    // The badge counts both; looking clears it.
    let (status, desk) = marina_browser.call("crm/desk", &[]).await;
    assert_eq!(status, StatusCode::OK, "{desk}");
    assert_eq!(desk["new_assignments"].as_i64(), Some(2), "{desk}");
    let (status, _) = marina_browser.call("crm/desk/seen", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, desk) = marina_browser.call("crm/desk", &[]).await;
    assert_eq!(desk["new_assignments"].as_i64(), Some(0), "{desk}");
}

#[tokio::test]
async fn only_staff_and_owner_set_capacity_and_only_a_consultant_toggles_their_own_availability() {
    let server = seeded().await;
    let mut marina = signed_in(&server, "famath", "consultora@famath.example").await;
    let mut staff = signed_in(&server, "famath", "secretaria@famath.example").await;
    let (status, team) = staff.call("crm/team", &[]).await;
    assert_eq!(status, StatusCode::OK, "{team}");
    let member = &team[0];
    let id = member["id"].as_str().unwrap().to_string();
    assert_eq!(member["capacity"].as_i64(), Some(40), "the demo's capacity: {team}");

    let (status, refused) = marina.call("crm/team/capacity", &[("user_id", &id), ("capacity", "99")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, refused) = marina.call("crm/team", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, invalid) = staff.call("crm/team/capacity", &[("user_id", &id), ("capacity", "501")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{invalid}");
    let (status, team) = staff.call("crm/team/capacity", &[("user_id", &id), ("capacity", "12")]).await;
    assert_eq!(status, StatusCode::OK, "{team}");
    assert_eq!(team[0]["capacity"].as_i64(), Some(12));

    let (status, refused) = staff.call("crm/desk/available", &[("available", "true")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, desk) = marina.call("crm/desk/available", &[("available", "true")]).await;
    assert_eq!(status, StatusCode::OK, "{desk}");
    assert_eq!(desk["available"].as_bool(), Some(true));
    let (_, team) = staff.call("crm/team", &[]).await;
    assert_eq!(team[0]["available"].as_bool(), Some(true));
}
