import type { Sealed } from '../../libs/personal-data/sealed.js';
import type { PlanEvent } from './plan.events.js';

/**
 * Seals the free texts a decided plan event carries (the family's and professionals' words,
 * action descriptions, notes), with the family's key. Everything else passes unchanged; a new
 * text field in an event type fails to compile here until it is sealed too.
 */
export async function sealPlanEvent(
  event: PlanEvent<string>,
  seal: (text: string) => Promise<Sealed>,
): Promise<PlanEvent> {
  switch (event.type) {
    case 'gezinsplan.GoalAdded': {
      const { goal } = event.data;
      const familyWording = await seal(goal.familyWording);
      const professionalWording =
        goal.professionalWording === null ? null : await seal(goal.professionalWording);
      return {
        ...event,
        data: { ...event.data, goal: { ...goal, familyWording, professionalWording } },
      };
    }
    case 'gezinsplan.ActionAdded': {
      const { action } = event.data;
      const description = await seal(action.description);
      return { ...event, data: { ...event.data, action: { ...action, description } } };
    }
    case 'gezinsplan.ProgressNoteAdded': {
      const { note } = event.data;
      return { ...event, data: { ...event.data, note: { ...note, text: await seal(note.text) } } };
    }
    default:
      return event;
  }
}
