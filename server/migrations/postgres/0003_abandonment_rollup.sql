-- Abandoned checkouts counted per day, device, last step, trigger, reason and page (funnel::record),
-- so the report groups these counts instead of the events. '' stands for "not given".
CREATE TABLE abandon_daily (
    day TEXT NOT NULL,
    device TEXT NOT NULL,
    last_step TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    page TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (day, device, last_step, trigger_kind, reason, page)
);

INSERT INTO abandon_daily (day, device, last_step, trigger_kind, reason, page, n)
SELECT substr(at, 1, 10), COALESCE(device, ''), COALESCE(last_step, ''), COALESCE(trigger_kind, ''),
       COALESCE(reason, ''), COALESCE(page, ''), COUNT(*)
FROM events WHERE type = 'checkout_abandoned'
GROUP BY substr(at, 1, 10), COALESCE(device, ''), COALESCE(last_step, ''), COALESCE(trigger_kind, ''),
         COALESCE(reason, ''), COALESCE(page, '');

-- The report reads the rollups now: these indexes only slowed inserts.
DROP INDEX events_funnel;
DROP INDEX events_abandoned;
