import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { formState, parseForm, type FormState } from '../../platform/forms.tsx';
import { sendWorkspacePage } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import * as activityArticleService from './activity-article.service.ts';
import { listMeasuresOfActivity } from './activity-measure.service.ts';
import { activityParams } from './activity.schema.ts';
import * as activityService from './activity.service.ts';
import { ActivityDetailView } from './activity.detail.tsx';
import { formWithServiceError, localizeForm } from './activity.views.tsx';

/** The draft form: the site chosen, or none (the first the reader writes for). */
const draftForm = z.object({
  siteId: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.coerce.number().int().positive().optional()),
});

/** The workspace's step from an activity to the newsroom: draft an update from its record, then edit it there. */
export const activityArticlePages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  app.post('/workspace/activities/:id/draft-article', { schema: { params: activityParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const frame = workspaceFrame(request);
    const parsed = parseForm(draftForm, request.body, frame.locale);
    let form: FormState;
    let status = 400;
    if (parsed.ok) {
      try {
        const articleId = await activityArticleService.draftArticleFromActivity(app.db, actor, request.params.id, parsed.value.siteId);
        return reply.redirect(`/workspace/articles/${articleId}/edit`, 303);
      } catch (error) {
        const refused = formWithServiceError(formState({ siteId: parsed.value.siteId }), error, frame.locale);
        if (!refused) throw error;
        form = refused;
        status = (error as DomainError).status;
      }
    } else {
      form = localizeForm(parsed.form, frame.locale);
    }
    // The activity's page again, with the message beside the draft button.
    const [activity, reports, measures] = await Promise.all([
      activityService.getActivityDetail(app.db, actor, request.params.id),
      activityArticleService.listActivityArticles(app.db, actor, request.params.id),
      listMeasuresOfActivity(app.db, actor, request.params.id),
    ]);
    return sendWorkspacePage(reply, <ActivityDetailView frame={frame} activity={activity} reports={reports} measures={measures} draftForm={form} />, status);
  });
};
