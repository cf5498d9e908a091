import type { VNode } from 'preact';
import { SelectField, type FormState } from '../../platform/forms.tsx';
import { localized, t } from '../../platform/i18n.ts';
import type { WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import type { MeasureChoices } from '../agreements/agreement.service.ts';
import { documentHref, documentTitle, measureHref, measureLabel, measureOptions } from '../agreements/agreement.view.tsx';
import type { ImplementedMeasure } from './activity-measure.service.ts';
import type { ActivityListItem } from './activity.service.ts';
import { ActivityFormPage, AddButton, Nothing } from './activity.views.tsx';

/** The activity page's list of the measures it carries out, each under its document. */
export function MeasuresSection(props: { frame: WorkspaceFrame; activity: { id: number; editable: boolean }; measures: ImplementedMeasure[] }): VNode {
  const { frame, activity, measures } = props;
  const { locale } = frame;
  const base = `/workspace/activities/${activity.id}`;
  return (
    <section aria-labelledby="measures">
      <h2 id="measures">{localized(locale, '落实的措施', 'Carries out')}</h2>
      {activity.editable ? <AddButton href={`${base}/measures/new`} label={localized(locale, '添加措施', 'Add a measure')} /> : null}
      {measures.length === 0 ? (
        <Nothing locale={locale} />
      ) : (
        <ul>
          {measures.map((measure) => (
            <li id={`measure-${measure.id}`}>
              <a href={documentHref(measure.document.id)}>{documentTitle(locale, measure.document)}</a>
              {' › '}
              <a href={measureHref(measure.id)}>{measureLabel(locale, measure)}</a>
              {activity.editable ? (
                <span class="actions" style="display:inline-flex;margin:0 0 0 1rem">
                  <a href={`${base}/measures/${measure.id}/delete`}>{localized(locale, '移除', 'Remove')}</a>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The form that adds a measure an activity carries out. */
export function MeasureFormView(props: { frame: WorkspaceFrame; form: FormState; activity: ActivityListItem; choices: MeasureChoices[] }): VNode {
  const { frame, form, activity } = props;
  const { locale } = frame;
  const base = `/workspace/activities/${activity.id}`;
  const options = measureOptions(locale, props.choices);
  return (
    <ActivityFormPage
      frame={frame}
      title={localized(locale, '添加落实的措施', 'Add a measure it carries out')}
      form={form}
      action={`${base}/measures`}
      back={`${base}#measures`}
      activity={activity}
      before={
        options.length === 0 ? (
          <p>
            {localized(locale, '还没有列出措施的协议或通知。', 'No agreement or circular lists measures yet.')} <a href="/workspace/agreements">{t(locale, 'agreements')}</a>
          </p>
        ) : null
      }
    >
      <SelectField
        name="measureId"
        label={localized(locale, '措施', 'Measure')}
        hint={localized(locale, '最新 200 份协议、通知和方案中的措施。', 'The measures of the newest 200 agreements, circulars and plans.')}
        form={form}
        options={options}
        required
      />
    </ActivityFormPage>
  );
}
