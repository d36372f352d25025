-- The funnel report from daily counts instead of COUNT(DISTINCT) over the events: a cart counts
-- on the day it first reached a step (per device, and once more under device '*' for "All
-- devices"). Filled as events arrive (funnel::record); this back-fills what is stored.
CREATE TABLE funnel_reached (
    cart_id TEXT NOT NULL,
    stage BIGINT NOT NULL,
    device TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (cart_id, stage, device)
);
CREATE INDEX funnel_reached_day ON funnel_reached (day);

CREATE TABLE funnel_daily (
    day TEXT NOT NULL,
    device TEXT NOT NULL,
    stage BIGINT NOT NULL,
    carts BIGINT NOT NULL,
    PRIMARY KEY (day, device, stage)
);

CREATE TABLE feedback_daily (
    day TEXT NOT NULL,
    device TEXT NOT NULL,
    total BIGINT NOT NULL,
    answers BIGINT NOT NULL,
    PRIMARY KEY (day, device)
);

INSERT INTO funnel_reached (cart_id, stage, device, day)
SELECT cart_id, stage, device, MIN(day) FROM (
    SELECT cart_id,
           CASE type WHEN 'cart_viewed' THEN 0 WHEN 'checkout_started' THEN 1
                     WHEN 'step_completed' THEN CASE step WHEN 'contact' THEN 2 WHEN 'delivery' THEN 3 END
                     WHEN 'order_completed' THEN 4 END AS stage,
           COALESCE(device, '') AS device,
           substr(at, 1, 10) AS day
    FROM events WHERE cart_id IS NOT NULL
    UNION ALL
    SELECT cart_id,
           CASE type WHEN 'cart_viewed' THEN 0 WHEN 'checkout_started' THEN 1
                     WHEN 'step_completed' THEN CASE step WHEN 'contact' THEN 2 WHEN 'delivery' THEN 3 END
                     WHEN 'order_completed' THEN 4 END AS stage,
           '*' AS device,
           substr(at, 1, 10) AS day
    FROM events WHERE cart_id IS NOT NULL
) AS reached WHERE stage IS NOT NULL GROUP BY cart_id, stage, device;

INSERT INTO funnel_daily (day, device, stage, carts)
SELECT day, device, stage, COUNT(*) FROM funnel_reached GROUP BY day, device, stage;

INSERT INTO feedback_daily (day, device, total, answers)
SELECT substr(at, 1, 10), device, SUM(rating), COUNT(*) FROM (
    SELECT at, COALESCE(device, '') AS device, rating FROM events
    WHERE type = 'checkout_feedback' AND rating BETWEEN 1 AND 5
    UNION ALL
    SELECT at, '*' AS device, rating FROM events
    WHERE type = 'checkout_feedback' AND rating BETWEEN 1 AND 5
) AS feedback GROUP BY substr(at, 1, 10), device;
