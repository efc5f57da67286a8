import type { MigrationInterface, QueryRunner } from 'typeorm';
import { notesOf } from './plan-notes.sql.js';

/**
 * Progress notes leave the plan documents for rows of their own: they grow with every contact,
 * and each event rewrote the document holding all of them. A version's document held the notes
 * written up to its last write; its note_count keeps that prefix. A draft version's row held a
 * copy of the current plan's document: it holds none now (the plan is read instead) until it
 * freezes at agreement or closure. The notes of existing documents move here, so an upgraded
 * database answers as before without a rebuild.
 */
export class PlanNotes1732000018000 implements MigrationInterface {
  name = 'PlanNotes1732000018000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE plan_notes (
        plan_id         uuid NOT NULL,
        seq             integer NOT NULL,
        family_id       uuid NOT NULL,
        note_id         uuid NOT NULL,
        goal_id         uuid,
        text            text NOT NULL,
        confidentiality text NOT NULL,
        evaluation      boolean NOT NULL,
        written_at      timestamptz NOT NULL,
        author_id       text NOT NULL,
        PRIMARY KEY (plan_id, seq)
      );
      -- Every copy of a plan's notes is a prefix of the latest (notes are only appended); a
      -- closed plan's notes are left only in its versions' documents.
      INSERT INTO plan_notes
      SELECT DISTINCT ON (d.plan_id, e.ord)
             d.plan_id, e.ord - 1, d.family_id, (e.note->>'noteId')::uuid,
             (e.note->>'goalId')::uuid, e.note->>'text', e.note->>'confidentiality',
             (e.note->>'evaluation')::boolean, (e.note->>'writtenAt')::timestamptz,
             e.note->>'authorId'
        FROM (SELECT plan_id, family_id, document FROM plan_views
              UNION ALL SELECT plan_id, family_id, document FROM plan_versions) d,
             jsonb_array_elements(coalesce(d.document->'notes', '[]')) WITH ORDINALITY AS e(note, ord)
       ORDER BY d.plan_id, e.ord;
      ALTER TABLE plan_views ADD COLUMN note_count integer NOT NULL DEFAULT 0;
      ALTER TABLE plan_versions ADD COLUMN note_count integer NOT NULL DEFAULT 0;
      UPDATE plan_views
         SET note_count = jsonb_array_length(coalesce(document->'notes', '[]')),
             document = document - 'notes';
      UPDATE plan_versions
         SET note_count = jsonb_array_length(coalesce(document->'notes', '[]')),
             document = document - 'notes';
      ALTER TABLE plan_views ALTER COLUMN note_count DROP DEFAULT;
      ALTER TABLE plan_versions
        ALTER COLUMN note_count DROP DEFAULT,
        ALTER COLUMN note_count DROP NOT NULL,
        ALTER COLUMN document DROP NOT NULL;
      UPDATE plan_versions v SET document = NULL, note_count = NULL
        FROM plan_views p WHERE p.plan_id = v.plan_id AND v.status = 'draft';
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      UPDATE plan_versions v SET document = p.document, note_count = p.note_count
        FROM plan_views p WHERE p.plan_id = v.plan_id AND v.document IS NULL;
      UPDATE plan_views p
         SET document = p.document || jsonb_build_object('notes', ${notesOf('p.plan_id')});
      UPDATE plan_versions v
         SET document = v.document || jsonb_build_object('notes', ${notesOf('v.plan_id', 'v.note_count')});
      ALTER TABLE plan_views DROP COLUMN note_count;
      ALTER TABLE plan_versions DROP COLUMN note_count, ALTER COLUMN document SET NOT NULL;
      DROP TABLE plan_notes;
    `);
  }
}
