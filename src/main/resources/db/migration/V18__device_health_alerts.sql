-- Built-in alert rules for device health: uncorrected ECC errors and a health state the vendor tool calls a problem.
INSERT INTO alert_rules (id, builtin, spec) VALUES
  ('device-ecc-errors', TRUE, '{"kind":"device_ecc_errors","for_seconds":0,"severity":"critical","enabled":true}'),
  ('device-unhealthy', TRUE, '{"kind":"device_unhealthy","for_seconds":60,"severity":"critical","enabled":true}')
ON CONFLICT (id) DO NOTHING;
