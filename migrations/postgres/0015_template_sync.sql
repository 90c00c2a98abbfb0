-- Cloud numbers' template libraries are read again from Meta every few minutes, by one
-- instance at a time: the sync's lease.
INSERT INTO job_leases (name, holder, until) VALUES ('template_sync', '', 0);
