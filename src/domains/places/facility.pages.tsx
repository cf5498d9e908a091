import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { actorOf, requireWorkspaceSession } from '../../platform/auth.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { DomainError, notFound } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextAreaField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { MediaPicture } from '../media/media.picture.tsx';
import { addOrganizationPageSection, organizationName, organizationOptions } from '../organizations/organization.pages.tsx';
import { listOrganizationChoices } from '../organizations/organization.service.ts';
import {
  facilityFieldMessage,
  facilityForm,
  facilityPageQuery,
  facilityParams,
  facilityStatuses,
  taxonomyInput,
  taxonomyMove,
  taxonomyRename,
  verifiedForm,
  type FacilityForm,
} from './facility.schema.ts';
import * as facilityService from './facility.service.ts';
import type { FacilityDetail, FacilityListItem, TaxonomyEntry, TaxonomyList, TaxonomyListEntry } from './facility.service.ts';
import type { FacilityStatus } from './facility.table.ts';
import { formatExceptions, formatWeeklyHours, type HoursException } from './opening-hours.ts';
import { placeName } from './place.pages.tsx';
import { inLocale, PlaceRuleError } from './place.rules.ts';
import * as placeService from './place.service.ts';

const pageSize = 50;
const base = '/workspace/facilities';
// Only digits name a facility, so that the other pages under /workspace/facilities keep their addresses.
const byId = `${base}/:id(^\\d{1,9}$)`;

type Option = { value: string; label: string };

/** A facility's name in the reader's language (the Chinese one when no English name is on record). */
export const facilityName = placeName;

const facilitiesTitle = (locale: Locale): string => t(locale, 'facilities');

const statusNames: Record<FacilityStatus, { zh: string; en: string }> = {
  active: { zh: '开放', en: 'Active' },
  temporarily_closed: { zh: '暂停开放', en: 'Temporarily closed' },
  closed: { zh: '已关闭', en: 'Closed' },
};

/** A status as the workspace shows it. */
export function facilityStatusLabel(locale: Locale, status: FacilityStatus): string {
  return inLocale(locale, statusNames[status]);
}

function taxonomyName(locale: Locale, entry: { nameZh: string; nameEn: string }): string {
  return localized(locale, entry.nameZh, entry.nameEn);
}

function taxonomyOptions(locale: Locale, entries: readonly TaxonomyEntry[], emptyLabel?: string): Option[] {
  const options = entries.map((entry) => ({ value: entry.code, label: taxonomyName(locale, entry) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

function statusOptions(locale: Locale, emptyLabel?: string): Option[] {
  const options = facilityStatuses.map((status) => ({ value: status, label: facilityStatusLabel(locale, status) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

/** Drops empty query values, which a GET form sends for every untouched field. */
function submittedQuery(query: unknown): Record<string, unknown> {
  if (!query || typeof query !== 'object') return {};
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== '' && value !== undefined));
}

/** Puts our own field messages in the reader's language. */
function localizeForm(form: FormState, locale: Locale): FormState {
  const errors = Object.fromEntries(Object.entries(form.errors).map(([field, text]) => [field, inLocale(locale, facilityFieldMessage(text))]));
  return { values: form.values, errors };
}

/** Puts a service's refusal of a form's content beside the field it concerns; a 404 stays a 404. */
function formWithServiceError(form: FormState, error: unknown, locale: Locale, fieldOf: (field: string) => string = (field) => field): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = error instanceof PlaceRuleError ? fieldOf(error.field) : '_form';
  const text = error instanceof PlaceRuleError ? inLocale(locale, error.text) : error.message;
  return { values: form.values, errors: { ...form.errors, [field]: text } };
}

/** A form body with the checked services (several fields of one name) joined into one value. */
function withJoinedServices(body: unknown): Record<string, unknown> {
  const fields = body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  const services = fields.services;
  fields.services = Array.isArray(services) ? services.map(String).join(',') : (services ?? '');
  return fields;
}

function Crumbs(props: { locale: Locale; more?: { href: string; label: string } }): VNode {
  return (
    <nav class="crumbs" aria-label={t(props.locale, 'breadcrumb')}>
      <a href={base}>{facilitiesTitle(props.locale)}</a>
      {props.more ? (
        <>
          {' › '}
          <a href={props.more.href}>{props.more.label}</a>
        </>
      ) : null}
    </nav>
  );
}

function VerifiedOn(props: { locale: Locale; day: string | null }): VNode {
  return props.day ? <time datetime={props.day}>{props.day}</time> : <span class="muted">{localized(props.locale, '从未核实', 'never')}</span>;
}

/** The "verified today" button: a POST with the CSRF token. */
function VerifiedTodayButton(props: { frame: WorkspaceFrame; facility: { id: number; nameZh: string; nameEn: string }; back: 'list' | 'detail' }): VNode {
  const { locale } = props.frame;
  const name = facilityName(locale, props.facility);
  return (
    <form method="post" action={`${base}/${props.facility.id}/verified`} class="inline">
      <CsrfField token={props.frame.csrfToken} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" aria-label={localized(locale, `将“${name}”标记为今天已核实`, `Mark “${name}” verified today`)}>
        {localized(locale, '今天已核实', 'Verified today')}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// The list

interface ListChoices {
  kinds: TaxonomyEntry[];
  services: TaxonomyEntry[];
  organizations: Option[];
}

/** Facilities as a table; `action` adds a last column of buttons. */
function FacilityTable(props: { locale: Locale; items: FacilityListItem[]; action?: (facility: FacilityListItem) => VNode }): VNode {
  const { locale, action } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{localized(locale, '名称', 'Name')}</th>
          <th scope="col">{t(locale, 'kind')}</th>
          <th scope="col">{localized(locale, '地点', 'Place')}</th>
          <th scope="col">{localized(locale, '运营单位', 'Operator')}</th>
          <th scope="col">{localized(locale, '状态', 'Status')}</th>
          <th scope="col">{localized(locale, '最近核实', 'Last verified')}</th>
          {action ? <th scope="col">{t(locale, 'action')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.items.map((facility) => (
          <tr>
            <td>
              <a href={`${base}/${facility.id}`}>{facilityName(locale, facility)}</a>
            </td>
            <td>{taxonomyName(locale, facility.kind)}</td>
            <td>
              <a href={`/workspace/places/${facility.place.id}`}>{placeName(locale, facility.place)}</a>
            </td>
            <td>{organizationName(locale, facility.operator)}</td>
            <td>{facilityStatusLabel(locale, facility.status)}</td>
            <td>
              <VerifiedOn locale={locale} day={facility.verifiedOn} />
            </td>
            {action ? <td>{action(facility)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ListView(props: {
  frame: WorkspaceFrame;
  page: { items: FacilityListItem[]; total: number; limit: number; offset: number };
  filters: FormState;
  choices: ListChoices;
  mayCreate: boolean;
}): VNode {
  const { frame, page, choices } = props;
  const { locale } = frame;
  const title = facilitiesTitle(locale);
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={title}>
      <h1>{title}</h1>
      <FormErrorSummary form={props.filters} locale={locale} />
      <form method="get" action={base} class="filters" role="search">
        <TextField name="q" type="search" label={localized(locale, '名称或地址', 'Name or address')} form={props.filters} />
        <SelectField name="kind" label={t(locale, 'kind')} form={props.filters} options={taxonomyOptions(locale, choices.kinds, t(locale, 'all'))} />
        <SelectField
          name="service"
          label={localized(locale, '服务项目', 'Service')}
          form={props.filters}
          options={taxonomyOptions(locale, choices.services, t(locale, 'all'))}
        />
        <TextField
          name="place"
          label={localized(locale, '地点（含下级）', 'Place (and below)')}
          hint={localized(locale, '代码或路径，如 110115', 'A code or a path, e.g. 110115')}
          form={props.filters}
        />
        <SelectField name="operatorId" label={localized(locale, '运营单位（含下属）', 'Operator (and units)')} form={props.filters} options={choices.organizations} />
        <SelectField name="status" label={localized(locale, '状态', 'Status')} form={props.filters} options={statusOptions(locale, t(locale, 'all'))} />
        <button class="primary" type="submit">
          {t(locale, 'filter')}
        </button>
      </form>
      <p class="actions">
        {props.mayCreate ? (
          <a class="button" href={`${base}/new`}>
            {t(locale, 'create')}
          </a>
        ) : null}
        <a href={`${base}/needs-verification`}>{localized(locale, '待核实', 'Needs verification')}</a>
        <a href={`${base}/statistics`}>{localized(locale, '统计', 'Statistics')}</a>
        {props.mayCreate ? <a href={`${base}/import`}>{localized(locale, '导入', 'Import')}</a> : null}
        <a href={`${base}/export.csv`} download>
          {localized(locale, '导出 CSV', 'Export CSV')}
        </a>
        <a href={`${base}/export.hsds.json`} download>
          {localized(locale, '导出 HSDS JSON', 'Export HSDS JSON')}
        </a>
        <a href={`${base}/export.geojson`} download>
          {localized(locale, '导出 GeoJSON', 'Export GeoJSON')}
        </a>
        {frame.actor?.isPlatformAdmin || frame.actor?.heldCapabilities?.has('manage_members') ? (
          <>
            <a href={`${base}/kinds`}>{localized(locale, '阵地类型', 'Kinds')}</a>
            <a href={`${base}/services`}>{localized(locale, '服务项目', 'Services')}</a>
          </>
        ) : null}
        <span class="muted">{localized(locale, `共 ${page.total} 个`, `${page.total} in all`)}</span>
      </p>
      {page.items.length > 0 ? <FacilityTable locale={locale} items={page.items} /> : <p>{t(locale, 'noResults')}</p>}
      <Pager
        locale={locale}
        total={page.total}
        limit={page.limit}
        offset={page.offset}
        href={(offset) => listPageHref(base, props.filters.values, offset)}
      />
    </WorkspaceLayout>
  );
}

function NeedsVerificationView(props: {
  frame: WorkspaceFrame;
  page: { items: FacilityListItem[]; total: number; limit: number; offset: number };
  notice?: string;
}): VNode {
  const { frame, page } = props;
  const { locale } = frame;
  const title = localized(locale, '待核实的服务阵地', 'Facilities that need verification');
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={title} notice={props.notice}>
      <Crumbs locale={locale} />
      <h1>{title}</h1>
      <p>
        {localized(
          locale,
          '您可以编辑的、开放或暂停开放的服务阵地中，一年以上未核实（或从未核实）的，最久未核实的排在前面。核实信息无误后，点击“今天已核实”。',
          'The active or temporarily closed facilities you may edit that were not verified for a year (or never), the oldest first. Check a record, then press “Verified today”.',
        )}
      </p>
      {page.items.length > 0 ? (
        <FacilityTable
          locale={locale}
          items={page.items}
          action={(facility) => (
            <div class="inline">
              <VerifiedTodayButton frame={frame} facility={facility} back="list" />
              <a href={`${base}/${facility.id}/edit`}>{t(locale, 'edit')}</a>
            </div>
          )}
        />
      ) : (
        <p>{localized(locale, '没有需要核实的服务阵地。', 'Nothing needs verification.')}</p>
      )}
      <Pager
        locale={locale}
        total={page.total}
        limit={page.limit}
        offset={page.offset}
        href={(offset) => listPageHref(`${base}/needs-verification`, {}, offset)}
      />
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// The detail page

function BothLanguages(props: { locale: Locale; zh: string; en: string }): VNode {
  const first = props.locale === 'zh' ? { text: props.zh, lang: 'zh-CN' } : { text: props.en, lang: 'en' };
  const second = props.locale === 'zh' ? { text: props.en, lang: 'en' } : { text: props.zh, lang: 'zh-CN' };
  if (first.text === '' && second.text === '') return <span class="muted">{localized(props.locale, '（无记录）', '(none on record)')}</span>;
  return (
    <>
      {first.text ? <p lang={first.lang}>{first.text}</p> : null}
      {second.text && second.text !== first.text ? (
        <p lang={second.lang} class="muted">
          {second.text}
        </p>
      ) : null}
    </>
  );
}

function exceptionWhen(locale: Locale, exception: HoursException): string {
  return exception.opens !== null && exception.closes !== null ? `${exception.opens}–${exception.closes}` : localized(locale, '闭馆', 'Closed');
}

function ExceptionList(props: { locale: Locale; exceptions: HoursException[] }): VNode {
  const { locale } = props;
  if (props.exceptions.length === 0) return <span class="muted">{t(locale, 'none')}</span>;
  return (
    <ul>
      {props.exceptions.map((exception) => {
        const note = localized(locale, exception.noteZh, exception.noteEn) || exception.noteZh || exception.noteEn;
        return (
          <li>
            <time datetime={exception.onDate}>{exception.onDate}</time> {exceptionWhen(locale, exception)}
            {note ? ` · ${note}` : ''}
          </li>
        );
      })}
    </ul>
  );
}

function DetailView(props: { frame: WorkspaceFrame; facility: FacilityDetail; notice?: string }): VNode {
  const { frame, facility } = props;
  const { locale } = frame;
  const name = facilityName(locale, facility);
  const none = <span class="muted">{t(locale, 'none')}</span>;
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={name} notice={props.notice}>
      <Crumbs locale={locale} />
      <h1>{name}</h1>
      <dl class="facts">
        <dt>{t(locale, 'nameZh')}</dt>
        <dd lang="zh-CN">{facility.nameZh}</dd>
        <dt>{t(locale, 'nameEn')}</dt>
        <dd lang="en">{facility.nameEn || <span class="muted">{localized(locale, '（无记录）', '(none on record)')}</span>}</dd>
        <dt>{t(locale, 'kind')}</dt>
        <dd>{taxonomyName(locale, facility.kind)}</dd>
        <dt>{localized(locale, '状态', 'Status')}</dt>
        <dd>{facilityStatusLabel(locale, facility.status)}</dd>
        <dt>{localized(locale, '地点', 'Place')}</dt>
        <dd>
          {facility.places.map((place, index) => (
            <>
              {index > 0 ? ' › ' : null}
              <a href={`/workspace/places/${place.id}`}>{placeName(locale, place)}</a>
            </>
          ))}
        </dd>
        <dt>{localized(locale, '地址', 'Address')}</dt>
        <dd>
          <BothLanguages locale={locale} zh={facility.addressZh} en={facility.addressEn} />
        </dd>
        <dt>{localized(locale, '坐标', 'Coordinates')}</dt>
        <dd>{facility.lat !== null && facility.lon !== null ? `${facility.lat}, ${facility.lon}` : <span class="muted">{t(locale, 'dateNotKnown')}</span>}</dd>
        <dt>{localized(locale, '运营单位', 'Operator')}</dt>
        <dd>
          <a href={`/workspace/organizations/${facility.operator.id}`}>{organizationName(locale, facility.operator)}</a>
        </dd>
        <dt>{localized(locale, '承办单位', 'Host organization')}</dt>
        <dd>{facility.host ? <a href={`/workspace/organizations/${facility.host.id}`}>{organizationName(locale, facility.host)}</a> : none}</dd>
        <dt>{localized(locale, '负责人', 'Keeper')}</dt>
        <dd>{facility.keeper ? <a href={`/workspace/people/${facility.keeper.id}`}>{localized(locale, facility.keeper.nameZh, facility.keeper.nameEn)}</a> : none}</dd>
        <dt>{localized(locale, '服务项目', 'Services')}</dt>
        <dd>
          {facility.services.length > 0 ? (
            <ul>
              {facility.services.map((service) => (
                <li>{taxonomyName(locale, service)}</li>
              ))}
            </ul>
          ) : (
            none
          )}
        </dd>
        <dt>{localized(locale, '开放时间', 'Opening hours')}</dt>
        <dd>{facility.hours.length > 0 ? formatWeeklyHours(facility.hours, locale) : <span class="muted">{localized(locale, '未记录', 'Not recorded')}</span>}</dd>
        <dt>{localized(locale, '特殊日期', 'Exceptions')}</dt>
        <dd>
          <ExceptionList locale={locale} exceptions={facility.exceptions} />
        </dd>
        <dt>{localized(locale, '电话', 'Phone')}</dt>
        <dd>{facility.phone ? <a href={`tel:${facility.phone.replace(/[^0-9+]/g, '')}`}>{facility.phone}</a> : none}</dd>
        <dt>{t(locale, 'email')}</dt>
        <dd>{facility.email ? <a href={`mailto:${facility.email}`}>{facility.email}</a> : none}</dd>
        <dt>{localized(locale, '网站', 'Website')}</dt>
        <dd>
          {/* Only a web address becomes a link: a record written by other means could hold a javascript: one. */}
          {/^https?:\/\//i.test(facility.website) ? (
            <a href={facility.website} rel="noopener noreferrer">
              {facility.website}
            </a>
          ) : (
            facility.website || none
          )}
        </dd>
        <dt>{localized(locale, '无障碍', 'Accessibility')}</dt>
        <dd>
          <BothLanguages locale={locale} zh={facility.accessibilityZh} en={facility.accessibilityEn} />
        </dd>
        <dt>{localized(locale, '简介', 'Description')}</dt>
        <dd>
          <BothLanguages locale={locale} zh={facility.descriptionZh} en={facility.descriptionEn} />
        </dd>
        <dt>{localized(locale, '最近核实', 'Last verified')}</dt>
        <dd>
          <VerifiedOn locale={locale} day={facility.verifiedOn} />
        </dd>
      </dl>
      {facility.photos.length > 0 ? (
        <>
          <h2>{localized(locale, '照片', 'Photos')}</h2>
          <div class="inline">
            {facility.photos.map((photo) => (
              <MediaPicture media={photo} locale={locale} sizes="20rem" />
            ))}
          </div>
        </>
      ) : null}
      {facility.editable ? (
        <div class="actions">
          <a class="button" href={`${base}/${facility.id}/edit`}>
            {t(locale, 'edit')}
          </a>
          <VerifiedTodayButton frame={frame} facility={facility} back="detail" />
          <a href={`${base}/${facility.id}/delete`}>{t(locale, 'delete')}</a>
        </div>
      ) : null}
      {frame.actor?.isPlatformAdmin ? (
        <p>
          <a href={`/workspace/audit?entityType=facility&entityId=${facility.id}`}>{t(locale, 'history')}</a>
        </p>
      ) : null}
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// The form

interface FormChoices {
  kinds: Option[];
  services: TaxonomyEntry[];
  operators: Option[];
  organizations: Option[];
  people: Option[];
}

function ServiceChoices(props: { locale: Locale; form: FormState; services: TaxonomyEntry[] }): VNode {
  const { locale, form } = props;
  const checked = new Set((form.values.services ?? '').split(',').filter(Boolean));
  const error = form.errors.services;
  return (
    <fieldset class={error ? 'field invalid' : 'field'} aria-describedby={error ? 'services-error' : undefined}>
      <legend>{localized(locale, '服务项目', 'Services offered')}</legend>
      {props.services.map((service) => (
        <label>
          <input type="checkbox" name="services" value={service.code} checked={checked.has(service.code)} /> {taxonomyName(locale, service)}{' '}
        </label>
      ))}
      {error ? (
        <p class="error" id="services-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function FormView(props: { frame: WorkspaceFrame; form: FormState; choices: FormChoices; facility?: { id: number; nameZh: string; nameEn: string } }): VNode {
  const { frame, form, choices, facility } = props;
  const { locale } = frame;
  const title = facility ? `${t(locale, 'edit')}: ${facilityName(locale, facility)}` : localized(locale, '新建服务阵地', 'New facility');
  const noneOption = { value: '', label: t(locale, 'none') };
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={title}>
      <Crumbs locale={locale} more={facility ? { href: `${base}/${facility.id}`, label: facilityName(locale, facility) } : undefined} />
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={facility ? `${base}/${facility.id}` : base} novalidate>
        <CsrfField token={frame.csrfToken} />
        <SelectField name="kind" label={t(locale, 'kind')} form={form} options={choices.kinds} required />
        <TextField name="nameZh" label={t(locale, 'nameZh')} form={form} required />
        <TextField name="nameEn" label={t(locale, 'nameEn')} hint={localized(locale, '没有英文名称时留空。', 'Leave empty when none is on record.')} form={form} />
        <SelectField name="status" label={localized(locale, '状态', 'Status')} form={form} options={statusOptions(locale)} required />
        <TextField
          name="place"
          label={localized(locale, '地点', 'Place')}
          hint={localized(
            locale,
            '所在地点的代码，或从最近的有代码的上级写起的路径，如 110115/观音寺街道。',
            'The code of the place it is in, or a path down from the nearest place with a code, e.g. 110115/观音寺街道.',
          )}
          form={form}
          required
        />
        <TextField name="addressZh" label={localized(locale, '中文地址', 'Address in Chinese')} form={form} />
        <TextField name="addressEn" label={localized(locale, '英文地址', 'Address in English')} form={form} />
        <TextField name="lat" label={localized(locale, '纬度', 'Latitude')} hint={localized(locale, '如 39.7298；不知道时留空。', 'E.g. 39.7298; empty when not known.')} form={form} />
        <TextField name="lon" label={localized(locale, '经度', 'Longitude')} hint={localized(locale, '如 116.3386。', 'E.g. 116.3386.')} form={form} />
        <SelectField
          name="operatorOrganizationId"
          label={localized(locale, '运营单位', 'Operator')}
          hint={localized(locale, '负责该阵地的妇联或基层妇联；其工作人员可以编辑此记录。', 'The federation or grassroots federation that runs it; its staff edit this record.')}
          form={form}
          options={choices.operators}
          required
        />
        <SelectField
          name="hostOrganizationId"
          label={localized(locale, '承办单位', 'Host organization')}
          hint={localized(locale, '阵地所在场所的单位（如承办的企业），与运营单位不同时填写。', 'The organization whose premises it is in (a company hosting a centre), when not the operator.')}
          form={form}
          options={[noneOption, ...choices.organizations]}
        />
        <SelectField
          name="keeperPersonId"
          label={localized(locale, '负责人', 'Keeper')}
          hint={localized(locale, '如执委工作室所属的执委。', 'E.g. the executive committee member whose office it is.')}
          form={form}
          options={[noneOption, ...choices.people]}
        />
        <ServiceChoices locale={locale} form={form} services={choices.services} />
        <TextAreaField
          name="hours"
          rows={3}
          label={localized(locale, '每周开放时间', 'Weekly opening hours')}
          hint={localized(
            locale,
            '先写星期，再写时段，多条规则用分号分隔，如“周一至周五 09:00-12:00,13:30-17:30; 周六 09:00-12:00”或“Mo-Fr 09:00-17:00”。未写的日子不开放。',
            'Days, then times; rules separated by semicolons, e.g. "Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00" (Chinese day names work too). Days not named are closed.',
          )}
          form={form}
        />
        <TextAreaField
          name="exceptions"
          rows={3}
          label={localized(locale, '特殊日期', 'Exceptions')}
          hint={localized(
            locale,
            '每行一个日期：日期，再写“闭馆”或时段，最后可写说明（中文 / English），如“2027-02-06 闭馆 春节闭馆 / Closed for the Spring Festival”。',
            'One day a line: the date, then "closed" or times, then a note (中文 / English) if any, e.g. "2027-02-06 closed 春节闭馆 / Closed for the Spring Festival".',
          )}
          form={form}
        />
        <TextField name="phone" label={localized(locale, '电话', 'Phone')} form={form} />
        <TextField name="email" type="email" label={t(locale, 'email')} form={form} />
        <TextField name="website" label={localized(locale, '网站', 'Website')} hint="https://…" form={form} />
        <TextAreaField name="accessibilityZh" rows={2} label={localized(locale, '无障碍说明（中文）', 'Accessibility (Chinese)')} form={form} />
        <TextAreaField name="accessibilityEn" rows={2} label={localized(locale, '无障碍说明（英文）', 'Accessibility (English)')} form={form} />
        <TextAreaField name="descriptionZh" label={localized(locale, '简介（中文）', 'Description (Chinese)')} form={form} />
        <TextAreaField name="descriptionEn" label={localized(locale, '简介（英文）', 'Description (English)')} form={form} />
        <TextField
          name="photos"
          label={localized(locale, '照片', 'Photos')}
          hint={localized(locale, '图片库中图片的编号，以逗号分隔，按显示顺序，如 12, 15。', 'The numbers of media library images, in the order shown, e.g. 12, 15.')}
          form={form}
        />
        <TextField name="verifiedOn" type="date" label={localized(locale, '最近核实日期', 'Last verified on')} form={form} />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={facility ? `${base}/${facility.id}` : base}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function formValues(facility: FacilityDetail): FormState {
  return formState({
    kind: facility.kind.code,
    nameZh: facility.nameZh,
    nameEn: facility.nameEn,
    status: facility.status,
    place: facility.placeReference,
    addressZh: facility.addressZh,
    addressEn: facility.addressEn,
    lat: facility.lat,
    lon: facility.lon,
    operatorOrganizationId: facility.operatorOrganizationId,
    hostOrganizationId: facility.hostOrganizationId,
    keeperPersonId: facility.keeperPersonId,
    services: facility.services.map((service) => service.code).join(','),
    hours: formatWeeklyHours(facility.hours, 'code'),
    exceptions: formatExceptions(facility.exceptions),
    phone: facility.phone,
    email: facility.email,
    website: facility.website,
    accessibilityZh: facility.accessibilityZh,
    accessibilityEn: facility.accessibilityEn,
    descriptionZh: facility.descriptionZh,
    descriptionEn: facility.descriptionEn,
    photos: facility.photoIds.join(', '),
    verifiedOn: facility.verifiedOn,
  });
}

/** What a form shows again after a refusal: what was typed, with the services joined as the checkboxes read them. */
function submittedForm(value: FacilityForm): FormState {
  return formState({ ...value, services: value.services.join(','), photos: value.photos.join(', ') });
}

// ---------------------------------------------------------------------------------------------
// The lists of kinds and services

const taxonomyTitles: Record<TaxonomyList, { zh: string; en: string }> = {
  kinds: { zh: '服务阵地类型', en: 'Kinds of facility' },
  services: { zh: '服务项目', en: 'Services' },
};

function TaxonomyView(props: { frame: WorkspaceFrame; list: TaxonomyList; entries: TaxonomyListEntry[]; form: FormState; notice?: string }): VNode {
  const { frame, list, entries, form } = props;
  const { locale } = frame;
  // An organization's administrator adds to the list; the entries themselves are the platform administrators' to change.
  const manages = frame.actor?.isPlatformAdmin === true;
  const title = inLocale(locale, taxonomyTitles[list]);
  const other: Locale = locale === 'zh' ? 'en' : 'zh';
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={title} notice={props.notice}>
      <Crumbs locale={locale} />
      <h1>{title}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{localized(locale, '名称', 'Name')}</th>
            <th scope="col">{localized(locale, '代码', 'Code')}</th>
            <th scope="col">{localized(locale, '使用', 'In use')}</th>
            {manages ? <th scope="col">{localized(locale, '顺序', 'Order')}</th> : null}
            {manages ? <th scope="col">{t(locale, 'action')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, index) => {
            const name = taxonomyName(locale, entry);
            const href = `${base}/${list}/${entry.id}`;
            return (
              <tr>
                <td>
                  {name}{' '}
                  <span class="muted" lang={other === 'zh' ? 'zh-CN' : 'en'}>
                    · {taxonomyName(other, entry)}
                  </span>
                </td>
                <td>
                  <code>{entry.code}</code>
                </td>
                <td>{entry.facilityCount}</td>
                {manages ? (
                  <>
                    <td>
                      <form method="post" action={`${href}/move`} class="inline">
                        <CsrfField token={frame.csrfToken} />
                        <button type="submit" name="direction" value="up" disabled={index === 0} aria-label={localized(locale, `上移“${name}”`, `Move “${name}” up`)}>
                          ↑
                        </button>
                        <button
                          type="submit"
                          name="direction"
                          value="down"
                          disabled={index === entries.length - 1}
                          aria-label={localized(locale, `下移“${name}”`, `Move “${name}” down`)}
                        >
                          ↓
                        </button>
                      </form>
                    </td>
                    <td>
                      <div class="inline">
                        <a href={`${href}/edit`} aria-label={localized(locale, `重命名“${name}”`, `Rename “${name}”`)}>
                          {localized(locale, '重命名', 'Rename')}
                        </a>
                        {entry.facilityCount === 0 ? (
                          <a href={`${href}/delete`} aria-label={localized(locale, `删除“${name}”`, `Delete “${name}”`)}>
                            {t(locale, 'delete')}
                          </a>
                        ) : null}
                      </div>
                    </td>
                  </>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{localized(locale, '新增', 'Add')}</h2>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={`${base}/${list}`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField
          name="code"
          label={localized(locale, '代码', 'Code')}
          hint={localized(locale, '用于文件和网址，之后不能修改，如 legal_clinic。', 'For files and addresses; it cannot change later. E.g. legal_clinic.')}
          form={form}
          required
        />
        <TextField name="nameZh" label={t(locale, 'nameZh')} form={form} required />
        <TextField name="nameEn" label={t(locale, 'nameEn')} form={form} required />
        <p class="actions">
          <button class="primary" type="submit">
            {localized(locale, '新增', 'Add')}
          </button>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function RenameView(props: { frame: WorkspaceFrame; list: TaxonomyList; entry: TaxonomyListEntry; form: FormState }): VNode {
  const { frame, list, entry, form } = props;
  const { locale } = frame;
  const title = `${localized(locale, '重命名', 'Rename')}: ${taxonomyName(locale, entry)}`;
  return (
    <WorkspaceLayout frame={frame} area="facilities" title={title}>
      <Crumbs locale={locale} more={{ href: `${base}/${list}`, label: inLocale(locale, taxonomyTitles[list]) }} />
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={`${base}/${list}/${entry.id}`} novalidate>
        <CsrfField token={frame.csrfToken} />
        <p>
          {localized(locale, '代码：', 'Code: ')}
          <code>{entry.code}</code>
        </p>
        <TextField name="nameZh" label={t(locale, 'nameZh')} form={form} required />
        <TextField name="nameEn" label={t(locale, 'nameEn')} form={form} required />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={`${base}/${list}`}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// The organization page's section: the facilities it and its units operate.

/** How many facilities the organization page lists before pointing to the full list. */
const operatedLimit = 20;

addOrganizationPageSection(async (request, organization, locale) => {
  const page = await facilityService.listFacilitiesOperatedBy(request.server.db, actorOf(request), organization.id, operatedLimit);
  return (
    <>
      <h2>{localized(locale, '运营的服务阵地', 'Facilities operated')}</h2>
      {page.items.length > 0 ? (
        <>
          <ul>
            {page.items.map((facility) => (
              <li>
                <a href={`${base}/${facility.id}`}>{facilityName(locale, facility)}</a>
                <span class="muted">
                  {' '}
                  · {taxonomyName(locale, facility.kind)}
                  {facility.operator.id !== organization.id ? ` · ${organizationName(locale, facility.operator)}` : ''}
                </span>
              </li>
            ))}
          </ul>
          {page.total > page.items.length ? (
            <p>
              <a href={`${base}?operatorId=${organization.id}`}>{localized(locale, `查看全部 ${page.total} 个`, `All ${page.total}`)}</a>
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
    </>
  );
});

// ---------------------------------------------------------------------------------------------
// Routes

/** The workspace pages of facilities: list, detail, forms, delete, verification, and the two lists. */
export const facilityPages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function formChoices(request: FastifyRequest): Promise<FormChoices> {
    const { locale } = workspaceFrame(request);
    const choices = await facilityService.listFacilityFormChoices(app.db, actorOf(request));
    const organizations = organizationOptions(locale, choices.organizations);
    return {
      kinds: taxonomyOptions(locale, choices.kinds),
      services: choices.services,
      operators: organizations.filter((option) => choices.editableIds.has(Number(option.value))),
      organizations,
      people: choices.people.map((person) => ({ value: String(person.id), label: localized(locale, person.name_zh, person.name_en) })),
    };
  }

  async function sendForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, facility?: FacilityDetail) {
    const choices = await formChoices(request);
    if (choices.operators.length === 0) throw notFound();
    return sendWorkspacePage(reply, <FormView frame={workspaceFrame(request)} form={form} choices={choices} facility={facility} />, status);
  }

  async function sendDetail(request: FastifyRequest, reply: FastifyReply, id: number, notice?: string) {
    const facility = await facilityService.getFacilityDetail(app.db, actorOf(request), id);
    return sendWorkspacePage(reply, <DetailView frame={workspaceFrame(request)} facility={facility} notice={notice} />);
  }

  async function sendNeedsVerification(request: FastifyRequest, reply: FastifyReply, offset: number, notice?: string) {
    const page = await facilityService.listFacilities(app.db, actorOf(request), { needsVerification: 'true', limit: pageSize, offset });
    return sendWorkspacePage(reply, <NeedsVerificationView frame={workspaceFrame(request)} page={page} notice={notice} />);
  }

  /**
   * Reads the facility form and names its place: the input for the service, or the form to show
   * again with the messages (and the status to answer with).
   */
  async function readForm(request: FastifyRequest) {
    const { locale } = workspaceFrame(request);
    const parsed = parseForm(facilityForm, withJoinedServices(request.body), locale);
    if (!parsed.ok) {
      return { ok: false as const, form: localizeForm(parsed.form, locale), status: 400 };
    }
    const submitted = submittedForm(parsed.value);
    try {
      const placeId = await placeService.resolveParentReference(app.db, actorOf(request), parsed.value.place);
      if (placeId === null) throw notFound();
      const { place: _place, ...fields } = parsed.value;
      return { ok: true as const, input: { ...fields, placeId }, submitted };
    } catch (error) {
      const form = formWithServiceError(submitted, error, locale, () => 'place');
      if (!form) throw error;
      return { ok: false as const, form, status: (error as DomainError).status };
    }
  }

  app.get(base, async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const [kinds, services, organizations, mayCreate] = await Promise.all([
      facilityService.listTaxonomy(app.db, actor, 'kinds'),
      facilityService.listTaxonomy(app.db, actor, 'services'),
      listOrganizationChoices(app.db, actor),
      facilityService.mayCreateFacilities(app.db, actor),
    ]);
    const listChoices: ListChoices = { kinds, services, organizations: organizationOptions(locale, organizations, t(locale, 'all')) };
    const parsed = parseForm(facilityPageQuery, submittedQuery(request.query), locale);
    const empty = { items: [], total: 0, limit: pageSize, offset: 0 };
    if (!parsed.ok) {
      // A hand-made address with a wrong value: say which, and list nothing rather than guess.
      return sendWorkspacePage(reply, <ListView frame={frame} page={empty} filters={parsed.form} choices={listChoices} mayCreate={mayCreate} />, 400);
    }
    const { place, ...query } = parsed.value;
    let placeId = query.placeId;
    let placeText = place;
    if (place !== undefined) {
      try {
        placeId = (await placeService.resolveParentReference(app.db, actor, place)) ?? undefined;
      } catch (error) {
        const form = formWithServiceError(formState(parsed.value), error, locale, () => 'place');
        if (!form) throw error;
        return sendWorkspacePage(reply, <ListView frame={frame} page={empty} filters={form} choices={listChoices} mayCreate={mayCreate} />, 400);
      }
    } else if (placeId !== undefined) {
      placeText = await placeService.referenceOfPlace(app.db, actor, placeId);
    }
    const page = await facilityService.listFacilities(app.db, actor, { ...query, placeId, limit: pageSize });
    const filters = formState({ q: query.q, kind: query.kind, service: query.service, place: placeText, operatorId: query.operatorId, status: query.status });
    return sendWorkspacePage(reply, <ListView frame={frame} page={page} filters={filters} choices={listChoices} mayCreate={mayCreate} />);
  });

  app.get(`${base}/needs-verification`, async (request, reply) => {
    const parsed = facilityPageQuery.pick({ offset: true }).safeParse(request.query);
    return sendNeedsVerification(request, reply, parsed.success ? parsed.data.offset : 0);
  });

  app.get(`${base}/new`, async (request, reply) => {
    const choices = await formChoices(request);
    return sendForm(request, reply, formState({ status: 'active', operatorOrganizationId: choices.operators[0]?.value }), 200);
  });

  app.post(base, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    if (!(await facilityService.mayCreateFacilities(app.db, actor))) throw notFound();
    const read = await readForm(request);
    if (!read.ok) return sendForm(request, reply, read.form, read.status);
    try {
      const created = await facilityService.createFacility(app.db, actor, read.input);
      return reply.redirect(`${base}/${created.id}`, 303);
    } catch (error) {
      const form = formWithServiceError(read.submitted, error, locale);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status);
    }
  });

  app.get(byId, { schema: { params: facilityParams } }, async (request, reply) => sendDetail(request, reply, request.params.id));

  app.get(`${byId}/edit`, { schema: { params: facilityParams } }, async (request, reply) => {
    const facility = await facilityService.getFacilityDetail(app.db, actorOf(request), request.params.id);
    if (!facility.editable) throw notFound();
    return sendForm(request, reply, formValues(facility), 200, facility);
  });

  app.post(byId, { schema: { params: facilityParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const facility = await facilityService.getFacilityDetail(app.db, actor, request.params.id);
    // Refuse before looking at the form, so that a reader cannot tell an editable record from another.
    if (!facility.editable) throw notFound();
    const read = await readForm(request);
    if (!read.ok) return sendForm(request, reply, read.form, read.status, facility);
    try {
      await facilityService.updateFacility(app.db, actor, facility.id, read.input);
    } catch (error) {
      const form = formWithServiceError(read.submitted, error, locale);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status, facility);
    }
    return sendDetail(request, reply, facility.id, t(locale, 'saved'));
  });

  app.post(`${byId}/verified`, { schema: { params: facilityParams } }, async (request, reply) => {
    const { locale } = workspaceFrame(request);
    const facility = await facilityService.markFacilityVerified(app.db, actorOf(request), request.params.id);
    const notice = localized(locale, `已记录“${facility.nameZh}”今天核实。`, `Recorded “${facilityName('en', facility)}” as verified today.`);
    const parsed = verifiedForm.safeParse(request.body ?? {});
    if (parsed.success && parsed.data.back === 'list') return sendNeedsVerification(request, reply, 0, notice);
    return sendDetail(request, reply, facility.id, notice);
  });

  async function sendDeletePage(request: FastifyRequest<{ Params: { id: number } }>, reply: FastifyReply, error?: string) {
    const frame = workspaceFrame(request);
    const { locale } = frame;
    const facility = await facilityService.getFacilityDetail(app.db, actorOf(request), request.params.id);
    if (!facility.editable) throw notFound();
    const name = facilityName(locale, facility);
    return sendWorkspacePage(
      reply,
      <ConfirmPage
        frame={frame}
        area="facilities"
        title={`${t(locale, 'delete')}: ${name}`}
        text={t(locale, 'confirmDelete', { name })}
        action={`${base}/${facility.id}/delete`}
        back={`${base}/${facility.id}`}
        button={t(locale, 'delete')}
        error={error}
      />,
      error ? 409 : 200,
    );
  }

  app.get(`${byId}/delete`, { schema: { params: facilityParams } }, async (request, reply) => sendDeletePage(request, reply));

  app.post(`${byId}/delete`, { schema: { params: facilityParams } }, async (request, reply) => {
    try {
      await facilityService.deleteFacility(app.db, actorOf(request), request.params.id);
    } catch (error) {
      if (error instanceof PlaceRuleError && error.status === 409) {
        return sendDeletePage(request, reply, inLocale(workspaceFrame(request).locale, error.text));
      }
      throw error;
    }
    return reply.redirect(base, 303);
  });

  // The two lists: organizations' administrators add to them, platform administrators also rename, reorder and delete.
  for (const list of ['kinds', 'services'] as const) {
    const listPath = `${base}/${list}`;
    const entryPath = `${listPath}/:id(^\\d{1,9}$)`;

    async function sendList(request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200, notice?: string) {
      const actor = actorOf(request);
      if (!(await facilityService.mayExtendTaxonomy(app.db, actor))) throw notFound();
      const entries = await facilityService.listTaxonomy(app.db, actor, list);
      return sendWorkspacePage(reply, <TaxonomyView frame={workspaceFrame(request)} list={list} entries={entries} form={form} notice={notice} />, status);
    }

    async function sendDelete(request: FastifyRequest, reply: FastifyReply, entry: TaxonomyListEntry, error?: string, status = 200) {
      const frame = workspaceFrame(request);
      const name = taxonomyName(frame.locale, entry);
      return sendWorkspacePage(
        reply,
        <ConfirmPage
          frame={frame}
          area="facilities"
          title={`${t(frame.locale, 'delete')}: ${name}`}
          text={t(frame.locale, 'confirmDelete', { name })}
          action={`${listPath}/${entry.id}/delete`}
          back={listPath}
          button={t(frame.locale, 'delete')}
          error={error}
        />,
        status,
      );
    }

    app.get(listPath, async (request, reply) => sendList(request, reply, formState()));

    app.post(listPath, async (request, reply) => {
      const actor = actorOf(request);
      const { locale } = workspaceFrame(request);
      if (!(await facilityService.mayExtendTaxonomy(app.db, actor))) throw notFound();
      const parsed = parseForm(taxonomyInput, request.body, locale);
      if (!parsed.ok) return sendList(request, reply, localizeForm(parsed.form, locale), 400);
      try {
        await facilityService.addTaxonomyEntry(app.db, actor, list, parsed.value);
      } catch (error) {
        const form = formWithServiceError(formState(parsed.value), error, locale);
        if (!form) throw error;
        return sendList(request, reply, form, (error as DomainError).status);
      }
      return sendList(request, reply, formState(), 200, t(locale, 'saved'));
    });

    app.get(`${entryPath}/edit`, { schema: { params: facilityParams } }, async (request, reply) => {
      const entry = await facilityService.getTaxonomyEntry(app.db, actorOf(request), list, request.params.id);
      const form = formState({ nameZh: entry.nameZh, nameEn: entry.nameEn });
      return sendWorkspacePage(reply, <RenameView frame={workspaceFrame(request)} list={list} entry={entry} form={form} />);
    });

    app.post(entryPath, { schema: { params: facilityParams } }, async (request, reply) => {
      const actor = actorOf(request);
      const { locale } = workspaceFrame(request);
      const entry = await facilityService.getTaxonomyEntry(app.db, actor, list, request.params.id);
      const parsed = parseForm(taxonomyRename, request.body, locale);
      if (!parsed.ok) return sendWorkspacePage(reply, <RenameView frame={workspaceFrame(request)} list={list} entry={entry} form={parsed.form} />, 400);
      await facilityService.renameTaxonomyEntry(app.db, actor, list, entry.id, parsed.value);
      return sendList(request, reply, formState(), 200, t(locale, 'saved'));
    });

    app.post(`${entryPath}/move`, { schema: { params: facilityParams } }, async (request, reply) => {
      const actor = actorOf(request);
      await facilityService.getTaxonomyEntry(app.db, actor, list, request.params.id);
      const parsed = taxonomyMove.safeParse(request.body);
      if (parsed.success) await facilityService.moveTaxonomyEntry(app.db, actor, list, request.params.id, parsed.data.direction);
      return reply.redirect(listPath, 303);
    });

    app.get(`${entryPath}/delete`, { schema: { params: facilityParams } }, async (request, reply) =>
      sendDelete(request, reply, await facilityService.getTaxonomyEntry(app.db, actorOf(request), list, request.params.id)),
    );

    app.post(`${entryPath}/delete`, { schema: { params: facilityParams } }, async (request, reply) => {
      const actor = actorOf(request);
      const { locale } = workspaceFrame(request);
      const entry = await facilityService.getTaxonomyEntry(app.db, actor, list, request.params.id);
      try {
        await facilityService.deleteTaxonomyEntry(app.db, actor, list, entry.id);
      } catch (error) {
        if (error instanceof PlaceRuleError && error.status === 409) return sendDelete(request, reply, entry, inLocale(locale, error.text), 409);
        throw error;
      }
      return reply.redirect(listPath, 303);
    });
  }
};
