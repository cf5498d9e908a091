import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { DomainError, notFound } from '../../platform/errors.ts';
import { formState, parseForm, type FormState } from '../../platform/forms.tsx';
import { localized } from '../../platform/i18n.ts';
import { sendWorkspacePage } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import * as agreementService from '../agreements/agreement.service.ts';
import { documentTitle, measureLabel } from '../agreements/agreement.view.tsx';
import { activityParams } from './activity.schema.ts';
import * as activityService from './activity.service.ts';
import type { ActivityListItem } from './activity.service.ts';
import * as activityMeasureService from './activity-measure.service.ts';
import { MeasureFormView } from './activity-measure.views.tsx';
import { formWithServiceError, localizeForm } from './activity.views.tsx';

const measureForm = z.object({ measureId: z.coerce.number().int().positive() });
const measureParams = z.object({ id: activityParams.shape.id, measureId: activityParams.shape.id });

/** The workspace pages that record which measures of agreements and circulars an activity carries out. */
export const activityMeasurePages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  /** The activity named in the address, refused as "not found" unless the actor may change it. */
  async function editableActivity(request: FastifyRequest, id: number): Promise<ActivityListItem> {
    const activity = await activityService.getActivity(app.db, actorOf(request), id);
    await activityService.assertMayEditActivity(app.db, actorOf(request), activity);
    return activity;
  }

  async function sendMeasureForm(request: FastifyRequest, reply: FastifyReply, activity: ActivityListItem, form: FormState, status: number) {
    const choices = await agreementService.listMeasureChoices(app.db, actorOf(request));
    return sendWorkspacePage(reply, <MeasureFormView frame={workspaceFrame(request)} form={form} activity={activity} choices={choices} />, status);
  }

  app.get('/workspace/activities/:id/measures/new', { schema: { params: activityParams } }, async (request, reply) => {
    const activity = await editableActivity(request, request.params.id);
    return sendMeasureForm(request, reply, activity, formState(), 200);
  });

  app.post('/workspace/activities/:id/measures', { schema: { params: activityParams } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    // Refused before the form is read, so that a reader cannot tell an activity she may not change from another.
    const activity = await editableActivity(request, request.params.id);
    const parsed = parseForm(measureForm, request.body, locale);
    if (!parsed.ok) return sendMeasureForm(request, reply, activity, localizeForm(parsed.form, locale), 400);
    try {
      await activityMeasureService.addMeasure(app.db, actorOf(request), activity.id, parsed.value.measureId);
    } catch (error) {
      const form = formWithServiceError(formState(parsed.value), error, locale);
      if (!form) throw error;
      return sendMeasureForm(request, reply, activity, form, (error as DomainError).status);
    }
    return reply.redirect(`/workspace/activities/${activity.id}#measure-${parsed.value.measureId}`, 303);
  });

  app.get('/workspace/activities/:id/measures/:measureId/delete', { schema: { params: measureParams } }, async (request, reply) => {
    const frame = workspaceFrame(request);
    const activity = await editableActivity(request, request.params.id);
    const measures = await activityMeasureService.listMeasuresOfActivity(app.db, actorOf(request), activity.id);
    const measure = measures.find((entry) => entry.id === request.params.measureId);
    if (!measure) throw notFound();
    const name = `${documentTitle(frame.locale, measure.document)} › ${measureLabel(frame.locale, measure)}`;
    return sendWorkspacePage(
      reply,
      <ConfirmPage
        frame={frame}
        area="activities"
        title={localized(frame.locale, `移除：${name}`, `Remove: ${name}`)}
        text={localized(
          frame.locale,
          `不再把本活动列为落实“${name}”的活动？措施本身不受影响。`,
          `Stop counting the activity as carrying out “${name}”? The measure itself stays as it is.`,
        )}
        action={`/workspace/activities/${activity.id}/measures/${measure.id}/delete`}
        back={`/workspace/activities/${activity.id}#measures`}
        button={localized(frame.locale, '移除', 'Remove')}
      />,
    );
  });

  app.post('/workspace/activities/:id/measures/:measureId/delete', { schema: { params: measureParams } }, async (request, reply) => {
    await activityMeasureService.removeMeasure(app.db, actorOf(request), request.params.id, request.params.measureId);
    return reply.redirect(`/workspace/activities/${request.params.id}#measures`, 303);
  });
};
