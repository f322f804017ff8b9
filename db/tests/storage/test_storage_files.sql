-- Stored files: each clinic's files are its own, only the purpose's permission uploads, the
-- upload lifecycle (pending, ready or rejected; a new logo retires the old), the storage.bytes
-- quota, and the system sweep of abandoned uploads and retired objects.
BEGIN;
SELECT plan(85);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('recept-a@a.test') AS recept_a \gset
SELECT tests.create_human('spec-a@a.test') AS spec_a \gset
SELECT tests.create_human('former-a@a.test') AS former_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'recept_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'spec_a', 'specialist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'former_a', 'owner', 'suspended') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'root', 'superadmin');
SELECT tests.make_platform(:'support', 'support');

SELECT format('orgs/%s/logo/%s', :'org_a', gen_random_uuid()) AS key1 \gset
SELECT format('orgs/%s/logo/%s', :'org_a', gen_random_uuid()) AS key2 \gset
SELECT format('orgs/%s/logo/%s', :'org_a', gen_random_uuid()) AS key3 \gset
SELECT format('orgs/%s/logo/%s', :'org_a', gen_random_uuid()) AS key5 \gset
SELECT format('orgs/%s/logo/%s', :'org_a', gen_random_uuid()) AS key_old \gset
SELECT format('orgs/%s/logo/%s', :'org_a', gen_random_uuid()) AS key_recent \gset
SELECT format('orgs/%s/logo/%s', :'org_b', gen_random_uuid()) AS key_b \gset

SELECT policies_are(
    'storage', 'files',
    ARRAY[
        'members read their organization''s logos',
        'file readers read their organization''s files',
        'platform staff read every file',
        'the system pool reads the files of the organization it acts for'
    ],
    'files are read by members (logos), file readers, platform staff and the system pool'
);

-- The owner of clinic A uploads a logo.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT storage.begin_upload('logo', :'key1', 'image/png', util.now() + interval '5 minutes') AS file1 \gset
SELECT results_eq(
    format($$SELECT organization_id, purpose, status, uploaded_by, declared_mime, upload_expires_at
             FROM storage.files WHERE id = %L$$, :'file1'),
    format($$VALUES (%L::uuid, 'logo', 'pending', %L::uuid, 'image/png', util.now() + interval '5 minutes')$$,
           :'org_a', :'owner_a'),
    'a begun upload is a pending file of the organization, by its uploader, with its deadline'
);
SELECT results_eq(
    format($$SELECT object_key, purpose, declared_mime FROM storage.lock_pending_upload(%L)$$, :'file1'),
    format($$VALUES (%L, 'logo', 'image/png')$$, :'key1'),
    'locking a pending upload returns what its check needs'
);
SELECT lives_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 1234, repeat('a', 64))$$, :'file1', :'key1' || '.png'),
    'the owner completes the upload'
);
SELECT results_eq(
    format($$SELECT status, object_key, detected_mime, size_bytes, sha256, verified_at = util.now(), rejection_reason
             FROM storage.files WHERE id = %L$$, :'file1'),
    format($$VALUES ('ready', %L, 'image/png', 1234::bigint, repeat('a', 64), true, NULL::text)$$, :'key1' || '.png'),
    'a completed upload is ready and verified, under its key plus the extension'
);
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 1234, repeat('a', 64))$$, :'file1', :'key1' || '.png'),
    'P0001', 'file_not_pending', 'an upload is confirmed once'
);

-- Clinic B sees and touches nothing of clinic A.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is((SELECT count(*)::int FROM storage.files), 0, 'the owner of clinic B sees no file of clinic A');
SELECT throws_ok(
    format($$SELECT * FROM storage.lock_pending_upload(%L)$$, :'file1'),
    'P0001', 'file_not_found', 'clinic B cannot lock clinic A''s file'
);
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 1, repeat('b', 64))$$, :'file1', :'key1' || '.png'),
    'P0001', 'file_not_found', 'clinic B cannot complete clinic A''s upload'
);
SELECT throws_ok(
    format($$SELECT storage.reject_upload(%L, 'missing')$$, :'file1'),
    'P0001', 'file_not_found', 'clinic B cannot reject clinic A''s upload'
);
SELECT throws_ok(
    format($$SELECT storage.remove_file(%L)$$, :'file1'),
    'P0001', 'file_not_found', 'clinic B cannot remove clinic A''s file'
);
SELECT throws_ok(
    format($$INSERT INTO storage.files (organization_id, purpose, object_key, declared_mime, upload_expires_at)
             VALUES (%L, 'logo', %L, 'image/png', util.now() + interval '5 minutes')$$, :'org_b', :'key_b'),
    '42501', NULL, 'the request pool cannot insert files directly'
);
SELECT throws_ok(
    format($$UPDATE storage.files SET status = 'rejected', rejection_reason = 'missing' WHERE id = %L$$, :'file1'),
    '42501', NULL, 'the request pool cannot update files directly'
);
SELECT throws_ok(
    format($$DELETE FROM storage.files WHERE id = %L$$, :'file1'),
    '42501', NULL, 'the request pool cannot delete files directly'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    '23514', NULL, 'clinic B cannot upload under clinic A''s keys'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/../../%s/logo/%s', :'org_b', :'org_a', gen_random_uuid())),
    '23514', NULL, 'a key cannot climb out of the organization''s folder'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('../orgs/%s/logo/%s', :'org_b', gen_random_uuid())),
    '23514', NULL, 'a key cannot start outside the bucket''s orgs/ folder'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/avatar/%s', :'org_b', gen_random_uuid())),
    '23514', NULL, 'a key lies under its purpose''s folder'
);
SELECT storage.begin_upload('logo', :'key_b', 'image/png', util.now() + interval '5 minutes') AS file_b \gset
SELECT results_eq(
    'SELECT id FROM storage.files',
    format($$VALUES (%L::uuid)$$, :'file_b'),
    'clinic B sees its own upload and nothing else'
);
SELECT tests.authenticate_as(:'owner_b', :'org_a');
SELECT is_empty('SELECT 1 FROM storage.files', 'clinic B''s owner claiming clinic A sees nothing');
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    '42501', 'permission_denied', 'clinic B''s owner claiming clinic A cannot upload there'
);
SELECT throws_ok(
    format($$SELECT storage.remove_file(%L)$$, :'file1'),
    '42501', 'permission_denied', 'clinic B''s owner claiming clinic A cannot remove its logo'
);

-- Who reads and who uploads in clinic A.
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT results_eq(
    'SELECT id FROM storage.files', format($$VALUES (%L::uuid)$$, :'file1'),
    'a receptionist (files.read) reads the clinic''s files'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    '42501', 'permission_denied', 'a receptionist (no organizations.update) cannot upload a logo'
);
SELECT tests.authenticate_as(:'spec_a', :'org_a');
SELECT results_eq(
    'SELECT id FROM storage.files', format($$VALUES (%L::uuid)$$, :'file1'),
    'a specialist sees the clinic''s logo'
);
SELECT throws_ok(
    format($$SELECT storage.remove_file(%L)$$, :'file1'),
    '42501', 'permission_denied', 'a specialist cannot remove the logo'
);
SELECT tests.authenticate_as(:'former_a', :'org_a');
SELECT is_empty('SELECT 1 FROM storage.files', 'a suspended member sees no file');
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    '42501', 'permission_denied', 'a suspended owner cannot upload'
);
SELECT tests.authenticate_as(:'support', NULL);
SELECT results_eq(
    'SELECT id FROM storage.files ORDER BY organization_id = ' || quote_literal(:'org_b'),
    format($$VALUES (%L::uuid), (%L::uuid)$$, :'file1', :'file_b'),
    'platform support reads every clinic''s files'
);
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    '42501', 'permission_denied', 'platform support cannot upload'
);
SELECT tests.authenticate_as(:'root', :'org_a');
SELECT storage.begin_upload('logo', :'key2', 'image/png', util.now() + interval '5 minutes') AS file2 \gset
SELECT results_eq(
    format($$SELECT organization_id, status, uploaded_by FROM storage.files WHERE id = %L$$, :'file2'),
    format($$VALUES (%L::uuid, 'pending', %L::uuid)$$, :'org_a', :'root'),
    'a platform superadmin uploads for clinic A'
);

-- Completing a second logo retires the first.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 2000, repeat('b', 64))$$, :'file2', :'key2'),
    'P0001', 'file_key_mismatch', 'a checked copy keeps an extension after the upload key'
);
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 2000, repeat('b', 64))$$, :'file2', :'key3' || '.png'),
    'P0001', 'file_key_mismatch', 'a checked copy cannot take another upload''s key'
);
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 2000, repeat('b', 64))$$, :'file2', :'key2' || './../x'),
    '23514', NULL, 'an extension cannot lead out of the key''s folder'
);
SELECT results_eq(
    format($$SELECT status, deleted_at FROM storage.files WHERE id = %L$$, :'file1'),
    $$VALUES ('ready', NULL::timestamptz)$$,
    'the refused completions left the first logo in place'
);
SELECT lives_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/webp', 2000, repeat('b', 64))$$, :'file2', :'key2' || '.webp'),
    'the owner completes the superadmin''s upload'
);
SELECT results_eq(
    format($$SELECT status, deleted_at = util.now(), object_removed_at FROM storage.files WHERE id = %L$$, :'file1'),
    $$VALUES ('ready', true, NULL::timestamptz)$$,
    'the replaced logo is retired, its bytes still to be removed'
);
SELECT results_eq(
    $$SELECT id FROM storage.files WHERE purpose = 'logo' AND status = 'ready' AND deleted_at IS NULL$$,
    format($$VALUES (%L::uuid)$$, :'file2'),
    'the new logo is the one the clinic shows'
);

-- A refused upload.
SELECT storage.begin_upload('logo', :'key3', 'image/png', util.now() + interval '5 minutes') AS file3 \gset
SELECT throws_ok(
    format($$SELECT storage.reject_upload(%L, 'virus')$$, :'file3'),
    '23514', NULL, 'a rejection reason is one of the known ones'
);
SELECT lives_ok(
    format($$SELECT storage.reject_upload(%L, 'type_not_allowed', 'application/pdf', 50)$$, :'file3'),
    'the owner rejects an upload of the wrong type'
);
SELECT results_eq(
    format($$SELECT status, rejection_reason, detected_mime, size_bytes, object_removed_at = util.now(), verified_at
             FROM storage.files WHERE id = %L$$, :'file3'),
    $$VALUES ('rejected', 'type_not_allowed', 'application/pdf', 50::bigint, true, NULL::timestamptz)$$,
    'a rejected upload keeps its reason and what was found; its bytes are gone'
);
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 50, repeat('c', 64))$$, :'file3', :'key3' || '.png'),
    'P0001', 'file_not_pending', 'a rejected upload cannot be completed'
);
SELECT throws_ok(
    format($$SELECT storage.reject_upload(%L, 'missing')$$, :'file3'),
    'P0001', 'file_not_pending', 'a rejected upload cannot be rejected again'
);

-- Bad upload grants.
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() - interval '1 second')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    'P0001', 'upload_deadline_invalid', 'an upload deadline in the past is refused'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '11 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    'P0001', 'upload_deadline_invalid', 'an upload deadline more than ten minutes ahead is refused'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', NULL)$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    'P0001', 'upload_deadline_invalid', 'an upload needs a deadline'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('avatar', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/avatar/%s', :'org_a', gen_random_uuid())),
    'P0001', 'file_purpose_unknown', 'an unknown purpose is refused'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$, :'key3'),
    '23505', NULL, 'a key is granted once'
);
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'Image/PNG', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    '23514', NULL, 'a declared type is a lowercase MIME type'
);

-- Events: read back as the test's superuser.
SELECT tests.clear_authentication();
SELECT results_eq(
    format($$SELECT organization_id, actor_id, payload ->> 'purpose', payload ->> 'content_type',
                    (payload ->> 'size_bytes')::bigint, payload ->> 'sha256', payload ->> 'replaces_file_id'
             FROM events.outbox WHERE type = 'file.uploaded' AND payload ->> 'file_id' = %L$$, :'file1'),
    format($$VALUES (%L::uuid, %L::uuid, 'logo', 'image/png', 1234::bigint, repeat('a', 64), NULL::text)$$,
           :'org_a', :'owner_a'),
    'completing an upload publishes file.uploaded'
);
SELECT results_eq(
    format($$SELECT organization_id, payload ->> 'replaces_file_id'
             FROM events.outbox WHERE type = 'file.uploaded' AND payload ->> 'file_id' = %L$$, :'file2'),
    format($$VALUES (%L::uuid, %L)$$, :'org_a', :'file1'),
    'the new logo''s file.uploaded names the file it replaces'
);
SELECT results_eq(
    format($$SELECT organization_id, payload ->> 'purpose', payload ->> 'reason'
             FROM events.outbox WHERE type = 'file.deleted' AND payload ->> 'file_id' = %L$$, :'file1'),
    format($$VALUES (%L::uuid, 'logo', 'replaced')$$, :'org_a'),
    'the replaced logo publishes file.deleted with the reason replaced'
);
SELECT results_eq(
    format($$SELECT organization_id, actor_id, payload ->> 'reason', payload ->> 'declared_mime',
                    payload ->> 'detected_mime', (payload ->> 'size_bytes')::bigint
             FROM events.outbox WHERE type = 'file.rejected' AND payload ->> 'file_id' = %L$$, :'file3'),
    format($$VALUES (%L::uuid, %L::uuid, 'type_not_allowed', 'image/png', 'application/pdf', 50::bigint)$$,
           :'org_a', :'owner_a'),
    'rejecting an upload publishes file.rejected'
);
SELECT is(
    (SELECT count(*)::int FROM events.outbox WHERE type LIKE 'file.%' AND organization_id = :'org_b'),
    0, 'clinic B published no file event'
);

-- Quota: storage.bytes counts the ready files that are not deleted.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT is(
    billing.limit_usage(:'org_a', 'storage.bytes'), 2000::bigint,
    'storage usage counts the current logo, not the replaced one nor the rejected upload'
);
SELECT throws_ok(
    format($$SELECT billing.limit_usage(%L, 'storage.bytes')$$, :'org_b'),
    '42501', 'permission_denied', 'clinic A''s owner cannot read clinic B''s storage usage'
);
SELECT storage.begin_upload('logo', :'key5', 'image/png', util.now() + interval '5 minutes') AS file5 \gset
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 2147483648, repeat('d', 64))$$, :'file5', :'key5' || '.png'),
    'P0001', 'limit_exceeded', '2 GiB exceeds the Free tier''s 1 GiB'
);
SELECT results_eq(
    format($$SELECT (SELECT status FROM storage.files WHERE id = %L), (SELECT deleted_at FROM storage.files WHERE id = %L)$$,
           :'file5', :'file2'),
    $$VALUES ('pending', NULL::timestamptz)$$,
    'the refused completion left the upload pending and the current logo in place'
);
SELECT tests.authenticate_as(:'root', NULL);
SELECT billing.grant_override(:'org_a', NULL, 'storage.bytes', NULL, 3000, 'tight quota') IS NOT NULL AS granted \gset
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT throws_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 3001, repeat('d', 64))$$, :'file5', :'key5' || '.png'),
    'P0001', 'limit_exceeded', 'a file larger than an overridden limit is refused'
);
SELECT lives_ok(
    format($$SELECT storage.complete_upload(%L, %L, 'image/png', 3000, repeat('d', 64))$$, :'file5', :'key5' || '.png'),
    'a replacement logo may use the whole limit: the one it replaces stops counting'
);
SELECT is(billing.limit_usage(:'org_a', 'storage.bytes'), 3000::bigint, 'storage usage is the new logo''s size');
SELECT lives_ok(format($$SELECT storage.remove_file(%L)$$, :'file5'), 'the owner removes the logo');
SELECT is(billing.limit_usage(:'org_a', 'storage.bytes'), 0::bigint, 'a removed file stops counting');
SELECT throws_ok(
    format($$SELECT storage.remove_file(%L)$$, :'file5'),
    'P0001', 'file_not_found', 'a removed file cannot be removed again'
);
SELECT is_empty(
    $$SELECT 1 FROM storage.files WHERE purpose = 'logo' AND status = 'ready' AND deleted_at IS NULL$$,
    'after the removal the clinic shows no logo'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    format($$SELECT actor_id, payload ->> 'reason' FROM events.outbox
             WHERE type = 'file.deleted' AND payload ->> 'file_id' = %L$$, :'file5'),
    format($$VALUES (%L::uuid, 'removed')$$, :'owner_a'),
    'removing a file publishes file.deleted with the reason removed'
);

-- The system sweep. Uploads granted now (deadline +2 and +5 minutes: old, B's) and in 40 minutes
-- (deadline +45: recent); the sweep runs in 70 minutes with an hour's grace.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT storage.begin_upload('logo', :'key_old', 'image/webp', util.now() + interval '2 minutes') AS file_old \gset
SELECT tests.freeze_time(now() + interval '40 minutes');
SELECT storage.begin_upload('logo', :'key_recent', 'image/png', util.now() + interval '5 minutes') AS file_recent \gset
SELECT tests.freeze_time(now() + interval '70 minutes');
SELECT tests.authenticate_as_system();
SELECT is_empty(
    $$SELECT 1 FROM storage.expire_abandoned_uploads(interval '2 hours', 100)$$,
    'no upload is past its deadline plus a two-hour grace'
);
SELECT results_eq(
    $$SELECT id, object_key, declared_mime FROM storage.expire_abandoned_uploads(interval '1 hour', 1)$$,
    format($$VALUES (%L::uuid, %L, 'image/webp')$$, :'file_old', :'key_old'),
    'the sweep expires the oldest abandoned upload first, at most the limit'
);
SELECT results_eq(
    $$SELECT id, object_key, declared_mime FROM storage.expire_abandoned_uploads(interval '1 hour', 100)$$,
    format($$VALUES (%L::uuid, %L, 'image/png')$$, :'file_b', :'key_b'),
    'the next sweep expires the rest, across clinics, but not an upload within the grace'
);
SELECT is_empty(
    $$SELECT 1 FROM storage.expire_abandoned_uploads(interval '1 hour', 100)$$,
    'nothing is expired twice'
);
SELECT set_eq(
    'SELECT id FROM storage.retired_objects(100)',
    format('SELECT unnest(%L::uuid [])', ARRAY[:'file1', :'file2', :'file5']),
    'retired objects are the deleted files whose bytes remain'
);
SELECT is((SELECT count(*)::int FROM storage.retired_objects(2)), 2, 'retired objects come at most the limit at a time');
SELECT is(
    storage.mark_bytes_removed(ARRAY[:'file1', :'file2', :'file_old', :'file_b']::uuid []), 4,
    'marking bytes removed returns how many files changed'
);
SELECT is(
    storage.mark_bytes_removed(ARRAY[:'file1', :'file3']::uuid []), 0,
    'files whose bytes are already gone do not count again'
);
SELECT results_eq(
    'SELECT id FROM storage.retired_objects(100)',
    format($$VALUES (%L::uuid)$$, :'file5'),
    'a file whose bytes were removed is no longer a retired object'
);
SELECT set_config('app.current_org_id', :'org_b', TRUE);
SELECT results_eq(
    'SELECT id FROM storage.files', format($$VALUES (%L::uuid)$$, :'file_b'),
    'the system pool acting for clinic B reads only clinic B''s files'
);
SELECT set_config('app.current_org_id', '', TRUE);
SELECT is_empty('SELECT 1 FROM storage.files', 'the system pool acting for no clinic reads no file');
SELECT throws_ok(
    format($$SELECT storage.begin_upload('logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
           format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    '42501', NULL, 'the system pool cannot grant uploads'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    format($$SELECT id, status, rejection_reason, object_removed_at = util.now()
             FROM storage.files WHERE id IN (%L, %L, %L) ORDER BY upload_expires_at$$,
           :'file_old', :'file_b', :'file_recent'),
    format($$VALUES (%L::uuid, 'rejected', 'expired', true), (%L::uuid, 'rejected', 'expired', true),
                    (%L::uuid, 'pending', NULL, NULL)$$, :'file_old', :'file_b', :'file_recent'),
    'expired uploads are rejected as expired; the recent one is still pending'
);
SELECT results_eq(
    format($$SELECT id, deleted_at IS NOT NULL, object_removed_at = util.now() FROM storage.files
             WHERE id IN (%L, %L, %L) ORDER BY id = %L, id = %L$$,
           :'file1', :'file2', :'file5', :'file5', :'file2'),
    format($$VALUES (%L::uuid, true, true), (%L::uuid, true, true), (%L::uuid, true, NULL)$$,
           :'file1', :'file2', :'file5'),
    'the retired files the sweep cleaned are marked, the other not'
);
SELECT results_eq(
    $$SELECT organization_id, actor_type, payload ->> 'file_id', payload ->> 'declared_mime', payload ->> 'detected_mime'
      FROM events.outbox WHERE type = 'file.rejected' AND payload ->> 'reason' = 'expired' ORDER BY position$$,
    format($$VALUES (%L::uuid, 'system', %L, 'image/webp', NULL::text), (%L::uuid, 'system', %L, 'image/png', NULL::text)$$,
           :'org_a', :'file_old', :'org_b', :'file_b'),
    'each expired upload publishes file.rejected for its own clinic'
);

-- The request pool cannot run the sweep.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT throws_ok(
    $$SELECT * FROM storage.expire_abandoned_uploads(interval '1 hour', 100)$$,
    '42501', NULL, 'the request pool cannot expire uploads'
);
SELECT throws_ok(
    'SELECT * FROM storage.retired_objects(100)',
    '42501', NULL, 'the request pool cannot list retired objects'
);
SELECT throws_ok(
    format($$SELECT storage.mark_bytes_removed(ARRAY[%L]::uuid [])$$, :'file5'),
    '42501', NULL, 'the request pool cannot mark bytes removed'
);
SELECT throws_ok(
    format($$SELECT storage.retire(%L, 'removed')$$, :'file2'),
    '42501', NULL, 'the request pool cannot retire a file without the permission check'
);

SELECT * FROM finish();
ROLLBACK;
