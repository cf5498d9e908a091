import type { VNode } from 'preact';
import type { FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { MediaPicture } from '../media/media.picture.tsx';
import { organizationName } from '../organizations/organization.pages.tsx';
import {
  activityStatusNames,
  attendanceStatusNames,
  attendeeRoleNames,
  followUpStatusNames,
  organizerRoleNames,
  visibilityNames,
} from './activity.rules.ts';
import { groupAttendees, type ActivityDetail, type Attendee, type FollowUp, type OrganizationRef } from './activity.service.ts';
import { ActivityCrumbs, AddButton, BothLanguages, MoveButton, nameOf, Nothing, RowActions, textIn, timeRange, titleOf } from './activity.views.tsx';
import type { ImplementedMeasure } from './activity-measure.service.ts';
import { MeasuresSection } from './activity-measure.views.tsx';
import type { ActivityArticles } from './activity-article.service.ts';
import { ReportedInSection } from './activity-article.views.tsx';

function OtherTitle(props: { locale: Locale; record: { titleZh: string; titleEn: string } }): VNode | null {
  const { locale, record } = props;
  const other = locale === 'zh' ? record.titleEn : record.titleZh;
  if (!other || other === titleOf(locale, record)) return null;
  return (
    <p class="muted" lang={locale === 'zh' ? 'en' : 'zh-CN'}>
      {other}
    </p>
  );
}

function OrganizationLink(props: { locale: Locale; organization: OrganizationRef }): VNode {
  return <a href={`/workspace/organizations/${props.organization.id}`}>{organizationName(props.locale, props.organization)}</a>;
}

function AttendeeRow(props: { frame: WorkspaceFrame; activity: ActivityDetail; attendee: Attendee }): VNode {
  const { frame, activity, attendee } = props;
  const { locale } = frame;
  const name = attendee.person ? textIn(locale, attendee.person.nameZh, attendee.person.nameEn) : '';
  const title = textIn(locale, attendee.titleZh, attendee.titleEn);
  const index = activity.attendees.indexOf(attendee);
  return (
    <tr id={`attendee-${attendee.id}`}>
      <td>{attendee.person ? <a href={`/workspace/people/${attendee.person.id}`}>{name}</a> : <span class="muted">{localized(locale, '（未记录姓名）', '(name not recorded)')}</span>}</td>
      <td class="attendee-title">{title}</td>
      <td>{nameOf(locale, attendeeRoleNames, attendee.role)}</td>
      <td>{nameOf(locale, attendanceStatusNames, attendee.status)}</td>
      {activity.editable ? (
        <td>
          <RowActions
            locale={locale}
            csrfToken={frame.csrfToken}
            base={`/workspace/activities/${activity.id}/attendees/${attendee.id}`}
            first={index === 0}
            last={index === activity.attendees.length - 1}
            label={name || title}
          />
        </td>
      ) : null}
    </tr>
  );
}

function AttendeeTable(props: { frame: WorkspaceFrame; activity: ActivityDetail; attendees: Attendee[] }): VNode {
  const { locale } = props.frame;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t(locale, 'person')}</th>
          <th scope="col">{localized(locale, '当日职务', 'Post held that day')}</th>
          <th scope="col">{localized(locale, '身份', 'Role')}</th>
          <th scope="col">{localized(locale, '出席', 'Attendance')}</th>
          {props.activity.editable ? <th scope="col">{t(locale, 'action')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.attendees.map((attendee) => (
          <AttendeeRow frame={props.frame} activity={props.activity} attendee={attendee} />
        ))}
      </tbody>
    </table>
  );
}

function AttendeesSection(props: { frame: WorkspaceFrame; activity: ActivityDetail }): VNode {
  const { frame, activity } = props;
  const { locale } = frame;
  const groups = groupAttendees(activity.attendees);
  return (
    <section aria-labelledby="attendees">
      <h2 id="attendees">{localized(locale, '参加人员', 'Attendees')}</h2>
      <p class="muted">
        {localized(locale, `职务为 ${activity.day} 当天所任，按当时记录保存。`, `Posts as held on ${activity.day}, kept as recorded then.`)}
      </p>
      {activity.editable ? <AddButton href={`/workspace/activities/${activity.id}/attendees/new`} label={localized(locale, '添加参加人员', 'Add an attendee')} /> : null}
      {groups.length === 0 ? <Nothing locale={locale} /> : null}
      {groups.map((group) => (
        <div class="attendee-group">
          <h3>{organizationName(locale, group.federation)}</h3>
          {group.attendees.length > 0 ? (
            <AttendeeTable frame={frame} activity={activity} attendees={group.attendees} />
          ) : null}
          {group.units.map((unit) => (
            <>
              <h4>{organizationName(locale, unit.unit)}</h4>
              <AttendeeTable frame={frame} activity={activity} attendees={unit.attendees} />
            </>
          ))}
        </div>
      ))}
    </section>
  );
}

function StopsSection(props: { frame: WorkspaceFrame; activity: ActivityDetail }): VNode {
  const { frame, activity } = props;
  const { locale } = frame;
  return (
    <section aria-labelledby="stops">
      <h2 id="stops">{localized(locale, '行程', 'Itinerary')}</h2>
      {activity.editable ? <AddButton href={`/workspace/activities/${activity.id}/stops/new`} label={localized(locale, '添加行程点位', 'Add a stop')} /> : null}
      {activity.stops.length === 0 ? <Nothing locale={locale} /> : null}
      <ol class="stops">
        {activity.stops.map((stop, index) => {
          const where = stop.facility ?? stop.place;
          const name = where ? textIn(locale, where.nameZh, where.nameEn) : '';
          return (
            <li id={`stop-${stop.id}`}>
              <h3 class="stop-name">{stop.facility ? <a href={`/workspace/facilities/${stop.facility.id}`}>{name}</a> : name}</h3>
              <dl class="facts">
                {stop.startsAt ? (
                  <>
                    <dt>{localized(locale, '时间', 'Time')}</dt>
                    <dd>{timeRange(stop.startsAt, stop.endsAt)}</dd>
                  </>
                ) : null}
                {stop.place ? (
                  <>
                    <dt>{localized(locale, '地点', 'Place')}</dt>
                    <dd>
                      <a href={`/workspace/places/${stop.place.id}`}>{textIn(locale, stop.place.nameZh, stop.place.nameEn)}</a>
                    </dd>
                  </>
                ) : null}
                {stop.topic ? (
                  <>
                    <dt>{localized(locale, '调研主题', 'Topic')}</dt>
                    <dd>{localized(locale, stop.topic.nameZh, stop.topic.nameEn)}</dd>
                  </>
                ) : null}
                {stop.hosts.length > 0 ? (
                  <>
                    <dt>{localized(locale, '接待单位', 'Hosts')}</dt>
                    <dd>
                      {stop.hosts.map((host, hostIndex) => (
                        <>
                          {hostIndex > 0 ? localized(locale, '、', ', ') : null}
                          <OrganizationLink locale={locale} organization={host} />
                        </>
                      ))}
                    </dd>
                  </>
                ) : null}
                {[
                  [localized(locale, '目的', 'Purpose'), stop.purposeZh, stop.purposeEn],
                  [localized(locale, '所见', 'What was seen'), stop.observationsZh, stop.observationsEn],
                  [localized(locale, '发现', 'Findings'), stop.findingsZh, stop.findingsEn],
                ].map(([label, zh = '', en = '']) =>
                  zh || en ? (
                    <>
                      <dt>{label}</dt>
                      <dd>
                        <BothLanguages locale={locale} zh={zh} en={en} />
                      </dd>
                    </>
                  ) : null,
                )}
              </dl>
              {activity.editable ? (
                <RowActions
                  locale={locale}
                  csrfToken={frame.csrfToken}
                  base={`/workspace/activities/${activity.id}/stops/${stop.id}`}
                  first={index === 0}
                  last={index === activity.stops.length - 1}
                  label={name}
                />
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function SessionsSection(props: { frame: WorkspaceFrame; activity: ActivityDetail }): VNode {
  const { frame, activity } = props;
  const { locale } = frame;
  return (
    <section aria-labelledby="sessions">
      <h2 id="sessions">{localized(locale, '会议议程', 'Sessions')}</h2>
      {activity.editable ? <AddButton href={`/workspace/activities/${activity.id}/sessions/new`} label={localized(locale, '添加会议', 'Add a session')} /> : null}
      {activity.sessions.length === 0 ? <Nothing locale={locale} /> : null}
      {activity.sessions.map((session, index) => {
        const base = `/workspace/activities/${activity.id}/sessions/${session.id}`;
        const title = titleOf(locale, session);
        return (
          <article id={`session-${session.id}`}>
            <h3>{title}</h3>
            {session.startsAt ? <p class="muted">{timeRange(session.startsAt, session.endsAt)}</p> : null}
            {activity.editable ? (
              <RowActions locale={locale} csrfToken={frame.csrfToken} base={base} first={index === 0} last={index === activity.sessions.length - 1} label={title} />
            ) : null}
            <h4>{localized(locale, '议程', 'Agenda')}</h4>
            {session.items.length === 0 ? <Nothing locale={locale} /> : null}
            <ol class="agenda">
              {session.items.map((item, itemIndex) => {
                const subject = textIn(locale, item.subjectZh, item.subjectEn);
                const who = [
                  item.speaker ? textIn(locale, item.speaker.nameZh, item.speaker.nameEn) : '',
                  item.speakerOrganization ? organizationName(locale, item.speakerOrganization) : '',
                ].filter(Boolean);
                return (
                  <li id={`agenda-item-${item.id}`}>
                    {subject}
                    {who.length > 0 ? <span class="muted"> — {who.join(localized(locale, '，', ', '))}</span> : null}
                    {activity.editable ? (
                      <RowActions
                        locale={locale}
                        csrfToken={frame.csrfToken}
                        base={`${base}/items/${item.id}`}
                        first={itemIndex === 0}
                        last={itemIndex === session.items.length - 1}
                        label={subject}
                      />
                    ) : null}
                  </li>
                );
              })}
            </ol>
            {activity.editable ? <AddButton href={`${base}/items/new`} label={localized(locale, '添加议程', 'Add an agenda item')} /> : null}
            {session.minutesZh || session.minutesEn ? (
              <>
                <h4>{localized(locale, '纪要', 'Minutes')}</h4>
                <BothLanguages locale={locale} zh={session.minutesZh} en={session.minutesEn} />
              </>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}

/** The commitment a follow-up became, or for those who may change the activity, the way to make it one. */
function FollowUpCommitment(props: { locale: Locale; followUp: FollowUp; editable: boolean }): VNode {
  const { locale, followUp } = props;
  if (followUp.commitmentId !== null) {
    return <a href={`/workspace/agreements/commitments/${followUp.commitmentId}`}>{localized(locale, '查看承诺', 'See the commitment')}</a>;
  }
  if (!props.editable) return <span class="muted">—</span>;
  return <a href={`/workspace/agreements/commitments/new?followUpId=${followUp.id}`}>{localized(locale, '列为承诺', 'Make it a commitment')}</a>;
}

function FollowUpsSection(props: { frame: WorkspaceFrame; activity: ActivityDetail }): VNode {
  const { frame, activity } = props;
  const { locale } = frame;
  return (
    <section aria-labelledby="follow-ups">
      <h2 id="follow-ups">{localized(locale, '后续事项', 'Follow-ups')}</h2>
      {activity.editable ? <AddButton href={`/workspace/activities/${activity.id}/follow-ups/new`} label={localized(locale, '添加后续事项', 'Add a follow-up')} /> : null}
      {activity.followUps.length === 0 ? (
        <Nothing locale={locale} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{localized(locale, '事项', 'Action')}</th>
              <th scope="col">{localized(locale, '负责', 'Owner')}</th>
              <th scope="col">{localized(locale, '期限', 'Due')}</th>
              <th scope="col">{localized(locale, '状态', 'Status')}</th>
              <th scope="col">{localized(locale, '承诺', 'Commitment')}</th>
              {activity.editable ? <th scope="col">{t(locale, 'action')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {activity.followUps.map((followUp, index) => {
              const action = textIn(locale, followUp.actionZh, followUp.actionEn);
              return (
                <tr id={`follow-up-${followUp.id}`}>
                  <td>{action}</td>
                  <td>
                    <OrganizationLink locale={locale} organization={followUp.ownerOrganization} />
                    {followUp.ownerPerson ? ` · ${textIn(locale, followUp.ownerPerson.nameZh, followUp.ownerPerson.nameEn)}` : null}
                  </td>
                  <td>{followUp.dueOn ?? <span class="muted">—</span>}</td>
                  <td>{nameOf(locale, followUpStatusNames, followUp.status)}</td>
                  <td>
                    <FollowUpCommitment locale={locale} followUp={followUp} editable={activity.editable} />
                  </td>
                  {activity.editable ? (
                    <td>
                      <RowActions
                        locale={locale}
                        csrfToken={frame.csrfToken}
                        base={`/workspace/activities/${activity.id}/follow-ups/${followUp.id}`}
                        first={index === 0}
                        last={index === activity.followUps.length - 1}
                        label={action}
                      />
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PhotosSection(props: { frame: WorkspaceFrame; activity: ActivityDetail }): VNode {
  const { frame, activity } = props;
  const { locale } = frame;
  return (
    <section aria-labelledby="photos">
      <h2 id="photos">{localized(locale, '照片', 'Photos')}</h2>
      {activity.editable ? <AddButton href={`/workspace/activities/${activity.id}/photos/new`} label={localized(locale, '添加照片', 'Add a photo')} /> : null}
      {activity.photos.length === 0 ? (
        <Nothing locale={locale} />
      ) : (
        <ul class="media-grid">
          {activity.photos.map((photo, index) => {
            const base = `/workspace/activities/${activity.id}/photos/${photo.mediaId}`;
            const label = photo.media.alt[locale] || photo.media.originalName;
            return (
              <li id={`photo-${photo.mediaId}`}>
                <MediaPicture media={photo.media} locale={locale} sizes="11rem" />
                <span>{label}</span>
                {activity.editable ? (
                  <span class="actions">
                    {index > 0 ? <MoveButton locale={locale} csrfToken={frame.csrfToken} action={`${base}/move`} direction="up" label={label} /> : null}
                    {index < activity.photos.length - 1 ? (
                      <MoveButton locale={locale} csrfToken={frame.csrfToken} action={`${base}/move`} direction="down" label={label} />
                    ) : null}
                    <a href={`${base}/delete`}>{t(locale, 'delete')}</a>
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** An activity's page: its fields, organizers, itinerary, sessions, attendees by federation and department, follow-ups, photos. */
export function ActivityDetailView(props: {
  frame: WorkspaceFrame;
  activity: ActivityDetail;
  notice?: string;
  /** The updates reporting on it and the sites the reader may draft one for; the draft form as submitted, with its message. */
  reports?: ActivityArticles;
  draftForm?: FormState;
  /** The measures of agreements and circulars it carries out. */
  measures?: ImplementedMeasure[];
}): VNode {
  const { frame, activity } = props;
  const { locale } = frame;
  const title = titleOf(locale, activity);
  const base = `/workspace/activities/${activity.id}`;
  return (
    <WorkspaceLayout frame={frame} area="activities" title={title} notice={props.notice}>
      <ActivityCrumbs locale={locale} />
      <h1>{title}</h1>
      <OtherTitle locale={locale} record={activity} />
      <dl class="facts">
        <dt>{t(locale, 'kind')}</dt>
        <dd>{localized(locale, activity.kind.nameZh, activity.kind.nameEn)}</dd>
        <dt>{localized(locale, '时间', 'Time')}</dt>
        <dd>
          <time datetime={activity.startsAt.toISOString()}>{timeRange(activity.startsAt, activity.endsAt)}</time>
        </dd>
        <dt>{localized(locale, '状态', 'Status')}</dt>
        <dd>{nameOf(locale, activityStatusNames, activity.status)}</dd>
        <dt>{localized(locale, '可见范围', 'Visibility')}</dt>
        <dd>{nameOf(locale, visibilityNames, activity.visibility)}</dd>
        <dt>{localized(locale, '主题', 'Topics')}</dt>
        <dd>{activity.topics.length > 0 ? activity.topics.map((topic) => localized(locale, topic.nameZh, topic.nameEn)).join(localized(locale, '、', ', ')) : '—'}</dd>
      </dl>
      <BothLanguages locale={locale} zh={activity.summaryZh} en={activity.summaryEn} />
      {activity.editable ? (
        <p class="actions">
          <a class="button" href={`${base}/edit`}>
            {t(locale, 'edit')}
          </a>
          <a href={`${base}/delete`}>{t(locale, 'delete')}</a>
        </p>
      ) : null}

      <section aria-labelledby="organizers">
        <h2 id="organizers">{localized(locale, '主办单位', 'Organizers')}</h2>
        <ul>
          {activity.organizers.map((organizer) => (
            <li id={`organizer-${organizer.id}`}>
              <OrganizationLink locale={locale} organization={organizer} />
              <span class="muted"> · {nameOf(locale, organizerRoleNames, organizer.role)}</span>
              {activity.editable ? (
                <span class="actions" style="display:inline-flex;margin:0 0 0 1rem">
                  <a href={`${base}/organizers/${organizer.id}/edit`}>{localized(locale, '修改角色', 'Change role')}</a>
                  <a href={`${base}/organizers/${organizer.id}/delete`}>{t(locale, 'delete')}</a>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        {activity.editable ? <AddButton href={`${base}/organizers/new`} label={localized(locale, '添加主办单位', 'Add an organizer')} /> : null}
      </section>

      <StopsSection frame={frame} activity={activity} />
      <SessionsSection frame={frame} activity={activity} />
      <AttendeesSection frame={frame} activity={activity} />
      <FollowUpsSection frame={frame} activity={activity} />
      {props.measures ? <MeasuresSection frame={frame} activity={activity} measures={props.measures} /> : null}
      {props.reports ? <ReportedInSection frame={frame} activityId={activity.id} visibility={activity.visibility} reports={props.reports} form={props.draftForm} /> : null}
      <PhotosSection frame={frame} activity={activity} />
      {frame.actor?.isPlatformAdmin ? (
        <p>
          <a href={`/workspace/audit?entityType=activity&entityId=${activity.id}`}>{t(locale, 'history')}</a>
        </p>
      ) : null}
    </WorkspaceLayout>
  );
}
