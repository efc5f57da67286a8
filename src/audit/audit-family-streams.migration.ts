import type { MigrationInterface, QueryRunner } from 'typeorm';
import { startAtSourcesCheckpoint } from '#libs/projections/seed-checkpoint.js';

/**
 * The auditor's own list of a family's escalation and erasure-request streams
 * (audit-family-streams.projection.ts). An upgraded database gets the rows at once, from
 * escalation_views and erasure_requests as their projections left them (read here once, never
 * by the audit's code), and the projection goes on from the earlier of their checkpoints.
 */
export class AuditFamilyStreams1732000020002 implements MigrationInterface {
  name = 'AuditFamilyStreams1732000020002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_family_streams (
        family_id  uuid NOT NULL,
        stream_id  text NOT NULL,
        kind       text NOT NULL,
        PRIMARY KEY (family_id, stream_id)
      );
    `);
    await startAtSourcesCheckpoint(runner, 'audit-family-streams', [
      'escalations',
      'erasure-requests',
    ]);
    await runner.query(`
      INSERT INTO audit_family_streams (family_id, stream_id, kind)
      SELECT family_id, 'escalation-' || escalation_id, 'escalation' FROM escalation_views
      UNION ALL
      SELECT family_id, 'erasure-' || request_id, 'erasure' FROM erasure_requests
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_family_streams');
    await runner.query(`DELETE FROM projection_checkpoints WHERE name = 'audit-family-streams'`);
  }
}
