-- Hand-written: the single organization every object belongs to until multi-tenancy arrives.
INSERT INTO "organizations" ("id", "name") VALUES ('org-00000000-0000-4000-8000-000000000000', 'default_org')
ON CONFLICT ("id") DO NOTHING;
