import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';

/**
 * A postcode area belongs to one team at most, or a concern would have two intakes. Checked
 * against team_views before a team takes areas on: two admins racing to give one area to two
 * teams are not stopped (areas are set rarely, by the few admins, and the concerns projection
 * sends a concern to the team that took the area last).
 */
@Injectable()
export class TeamAreas {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async assertFree(teamId: string, areas: readonly string[]): Promise<void> {
    if (areas.length === 0) return;
    const taken: Array<{ area: string; name: string }> = await this.dataSource.query(
      `SELECT area, name FROM team_views, unnest(postcode_areas) AS area
        WHERE team_id <> $1 AND area = ANY($2::text[]) ORDER BY area`,
      [teamId, areas],
    );
    if (taken.length > 0) {
      const list = taken.map((t) => `${t.area} (${t.name})`).join(', ');
      throw new DomainConflict(`Postcode areas already belong to another team: ${list}`);
    }
  }
}
