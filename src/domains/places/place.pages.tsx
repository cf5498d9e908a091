import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import { actorOf, loadSession, requireWorkspaceSession } from '../../platform/auth.ts';
import { ConfirmPage } from '../../platform/confirm-page.tsx';
import { DomainError, notFound } from '../../platform/errors.ts';
import { CsrfField, FormErrorSummary, formState, parseForm, SelectField, TextField, type FormState } from '../../platform/forms.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { listPageHref, Pager } from '../../platform/pager.tsx';
import { sendWorkspacePage, WorkspaceLayout, type WorkspaceFrame } from '../../platform/workspace-layout.tsx';
import { workspaceFrame } from '../accounts/account.pages.tsx';
import { addOrganizationPageSection, organizationName } from '../organizations/organization.pages.tsx';
import { exportPlacesCsv, importPlaces, placeCsvColumns, placeImportLimits, tooLargeProblem, type PlaceImportReport } from './place.import.ts';
import { fieldMessage, inLocale, levelNames, levelShortNames, levelsUnder, PlaceRuleError, type Bilingual } from './place.rules.ts';
import { placeForm, placeLevels, placeParams, placeQuery } from './place.schema.ts';
import * as placeService from './place.service.ts';
import type { Place, PlaceDetail, PlaceListItem, PlaceSummary } from './place.service.ts';
import type { PlaceLevel } from './place.table.ts';

const pageSize = 50;

type Option = { value: string; label: string };

/** A place's name in the reader's language (the Chinese one when no English name is on record). */
export function placeName(locale: Locale, place: { nameZh: string; nameEn: string }): string {
  return locale === 'zh' || place.nameEn === '' ? place.nameZh : place.nameEn;
}

function levelOptions(locale: Locale, levels: readonly PlaceLevel[], emptyLabel?: string): Option[] {
  const options = levels.map((level) => ({ value: level, label: inLocale(locale, levelNames[level]) }));
  return emptyLabel === undefined ? options : [{ value: '', label: emptyLabel }, ...options];
}

function levelLabel(locale: Locale, level: PlaceLevel): string {
  return inLocale(locale, levelShortNames[level]);
}

const placesTitle = (locale: Locale): string => localized(locale, '地点', 'Places');

/** Drops empty query values, which a GET form sends for every untouched field. */
function submittedQuery(query: unknown): Record<string, unknown> {
  if (!query || typeof query !== 'object') return {};
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== '' && value !== undefined));
}

/** Puts our own field messages in the reader's language. */
function localizeForm(form: FormState, locale: Locale): FormState {
  const errors = Object.fromEntries(Object.entries(form.errors).map(([field, text]) => [field, inLocale(locale, fieldMessage(text))]));
  return { values: form.values, errors };
}

/** Puts a service's refusal of a form's content beside the field it concerns; a 404 stays a 404. */
function formWithServiceError(form: FormState, error: unknown, locale: Locale): FormState | undefined {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return undefined;
  const field = error instanceof PlaceRuleError ? error.field : '_form';
  const text = error instanceof PlaceRuleError ? inLocale(locale, error.text) : error.message;
  return { values: form.values, errors: { ...form.errors, [field]: text } };
}

function Crumbs(props: { locale: Locale; ancestors: PlaceSummary[] }): VNode {
  return (
    <nav class="crumbs" aria-label={t(props.locale, 'breadcrumb')}>
      <a href="/workspace/places">{placesTitle(props.locale)}</a>
      {props.ancestors.map((ancestor) => (
        <>
          {' › '}
          <a href={`/workspace/places/${ancestor.id}`}>{placeName(props.locale, ancestor)}</a>
        </>
      ))}
    </nav>
  );
}

function OtherName(props: { locale: Locale; place: { nameZh: string; nameEn: string } }): VNode | null {
  const other = props.locale === 'zh' ? props.place.nameEn : props.place.nameZh;
  if (other === '' || other === placeName(props.locale, props.place)) return null;
  return (
    <span class="muted" lang={props.locale === 'zh' ? 'en' : 'zh-CN'}>
      {' '}
      · {other}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Views

/** What the list shows: the top level, the places under one, or search results (anywhere, or below one). */
type ListScope = { kind: 'top' } | { kind: 'children'; of: PlaceDetail } | { kind: 'search'; within?: PlaceDetail };

function ListView(props: {
  frame: WorkspaceFrame;
  page: { items: PlaceListItem[]; total: number; limit: number; offset: number };
  scope: ListScope;
  filters: FormState;
  /** Whether the actor may change some place (she may add one under a parent within her territory, or import). */
  mayEdit: boolean;
}): VNode {
  const { frame, page, scope } = props;
  const { locale } = frame;
  const title =
    scope.kind === 'children'
      ? localized(locale, `${placeName(locale, scope.of)} 的下级地点`, `Places under ${placeName(locale, scope.of)}`)
      : placesTitle(locale);
  return (
    <WorkspaceLayout frame={frame} area="places" title={title}>
      {scope.kind === 'children' ? <Crumbs locale={locale} ancestors={[...scope.of.ancestors, scope.of]} /> : null}
      <h1>{title}</h1>
      <FormErrorSummary form={props.filters} locale={locale} />
      <form method="get" action="/workspace/places" class="filters" role="search">
        <TextField
          name="q"
          type="search"
          label={localized(locale, '名称或代码', 'Name or code')}
          form={props.filters}
        />
        <SelectField name="level" label={localized(locale, '级别', 'Level')} form={props.filters} options={levelOptions(locale, placeLevels, t(locale, 'all'))} />
        {scope.kind === 'search' && scope.within ? <input type="hidden" name="within" value={String(scope.within.id)} /> : null}
        {scope.kind === 'children' ? <input type="hidden" name="within" value={String(scope.of.id)} /> : null}
        <button class="primary" type="submit">
          {t(locale, 'search')}
        </button>
      </form>
      {scope.kind === 'search' && scope.within ? (
        <p>
          {localized(locale, '范围：', 'Within: ')}
          <a href={`/workspace/places/${scope.within.id}`}>{placeName(locale, scope.within)}</a>{' '}
          <a class="muted" href={listHref({ ...props.filters.values, within: '' }, 0)}>
            {localized(locale, '（全部地点）', '(all places)')}
          </a>
        </p>
      ) : null}
      <p class="actions">
        {props.mayEdit ? (
          <>
            {scope.kind !== 'children' ? (
              <a class="button" href="/workspace/places/new">
                {t(locale, 'create')}
              </a>
            ) : scope.of.editable ? (
              <a class="button" href={`/workspace/places/new?parentId=${scope.of.id}`}>
                {t(locale, 'create')}
              </a>
            ) : null}
            <a class="button" href="/workspace/places/import">
              {localized(locale, '导入 CSV', 'Import CSV')}
            </a>
          </>
        ) : null}
        <a class="button" href="/workspace/places/export.csv" download>
          {localized(locale, '导出 CSV', 'Export CSV')}
        </a>
        <span class="muted">{localized(locale, `共 ${page.total} 个`, `${page.total} in all`)}</span>
      </p>
      {scope.kind === 'top' && page.total > 0 ? (
        <p class="muted">{localized(locale, '最高一级的地点；点击名称查看其下级。', 'The places at the top; open one to see the places under it.')}</p>
      ) : null}
      {page.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{localized(locale, '地点', 'Place')}</th>
              <th scope="col">{localized(locale, '级别', 'Level')}</th>
              <th scope="col">{localized(locale, '代码', 'Code')}</th>
              {scope.kind === 'search' ? <th scope="col">{localized(locale, '上级', 'Parent')}</th> : null}
              <th scope="col">{localized(locale, '下级', 'Below')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((place) => (
              <tr>
                <td>
                  <a href={`/workspace/places/${place.id}`}>{placeName(locale, place)}</a>
                  <OtherName locale={locale} place={place} />
                </td>
                <td>{levelLabel(locale, place.level)}</td>
                <td>{place.code ? <code>{place.code}</code> : <span class="muted">—</span>}</td>
                {scope.kind === 'search' ? (
                  <td>{place.parent ? <a href={`/workspace/places/${place.parent.id}`}>{placeName(locale, place.parent)}</a> : <span class="muted">—</span>}</td>
                ) : null}
                <td>
                  {place.childCount > 0 ? <a href={`/workspace/places?parentId=${place.id}`}>{place.childCount}</a> : <span class="muted">0</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t(locale, 'noResults')}</p>
      )}
      <Pager locale={locale} total={page.total} limit={page.limit} offset={page.offset} href={(offset) => listHref(props.filters.values, offset)} />
    </WorkspaceLayout>
  );
}

function listHref(values: Record<string, string>, offset: number): string {
  return listPageHref('/workspace/places', values, offset);
}

function DetailView(props: { frame: WorkspaceFrame; place: PlaceDetail; notice?: string }): VNode {
  const { frame, place } = props;
  const { locale } = frame;
  const name = placeName(locale, place);
  return (
    <WorkspaceLayout frame={frame} area="places" title={name} notice={props.notice}>
      <Crumbs locale={locale} ancestors={place.ancestors} />
      <h1>{name}</h1>
      <dl class="facts">
        <dt>{t(locale, 'nameZh')}</dt>
        <dd lang="zh-CN">{place.nameZh}</dd>
        <dt>{t(locale, 'nameEn')}</dt>
        <dd lang="en">{place.nameEn || <span class="muted">{localized(locale, '（无记录）', '(none on record)')}</span>}</dd>
        <dt>{localized(locale, '级别', 'Level')}</dt>
        <dd>{inLocale(locale, levelNames[place.level])}</dd>
        <dt>{localized(locale, '行政区划代码', 'Division code')}</dt>
        <dd>{place.code ? <code>{place.code}</code> : <span class="muted">{t(locale, 'dateNotKnown')}</span>}</dd>
        <dt>{localized(locale, '坐标', 'Coordinates')}</dt>
        <dd>
          {place.lat !== null && place.lon !== null ? (
            `${place.lat}, ${place.lon}`
          ) : (
            <span class="muted">{t(locale, 'dateNotKnown')}</span>
          )}
        </dd>
        <dt>{localized(locale, 'CSV 中的写法', 'Named in CSV files as')}</dt>
        <dd>
          <code>{place.reference}</code>
        </dd>
      </dl>
      {place.editable ? (
        <p class="actions">
          <a class="button" href={`/workspace/places/${place.id}/edit`}>
            {t(locale, 'edit')}
          </a>
          {levelsUnder(place.level).length > 0 ? (
            <a class="button" href={`/workspace/places/new?parentId=${place.id}`}>
              {localized(locale, '新建下级地点', 'Add a place below')}
            </a>
          ) : null}
          <a href={`/workspace/places/${place.id}/delete`}>{t(locale, 'delete')}</a>
        </p>
      ) : null}
      <h2>{localized(locale, '下级地点', 'Places below')}</h2>
      {place.childCount > 0 ? (
        <>
          <form method="get" action="/workspace/places" class="filters" role="search">
            <input type="hidden" name="within" value={String(place.id)} />
            <TextField
              name="q"
              type="search"
              label={localized(locale, `在${place.nameZh}范围内搜索`, `Search within ${name}`)}
              form={formState()}
            />
            <button type="submit">{t(locale, 'search')}</button>
          </form>
          <ul>
            {place.children.map((child) => (
              <li>
                <a href={`/workspace/places/${child.id}`}>{placeName(locale, child)}</a>
                <span class="muted">
                  {' '}
                  · {levelLabel(locale, child.level)}
                  {child.code ? ` · ${child.code}` : ''}
                </span>
              </li>
            ))}
          </ul>
          {place.childCount > place.children.length ? (
            <p>
              <a href={`/workspace/places?parentId=${place.id}`}>
                {localized(locale, `查看全部 ${place.childCount} 个`, `All ${place.childCount}`)}
              </a>
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
      <h2>{localized(locale, '位于此处的组织', 'Organizations located here')}</h2>
      {place.organizations.length > 0 ? (
        <ul>
          {place.organizations.map((organization) => (
            <li>
              <a href={`/workspace/organizations/${organization.id}`}>{organizationName(locale, organization)}</a>
              <span class="muted"> · {t(locale, `kind_${organization.kind}`)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t(locale, 'noResults')}</p>
      )}
      <h2>{localized(locale, '服务阵地', 'Facilities')}</h2>
      <p>
        <a href={`/workspace/facilities?place=${encodeURIComponent(place.reference)}`}>
          {localized(locale, '此地及下级地点的服务阵地', 'Facilities in this place and the places below it')}
        </a>
        {' · '}
        <a href={`/workspace/facilities/statistics?place=${place.id}`}>{localized(locale, '统计', 'Statistics')}</a>
        {' · '}
        <a href={`/workspace/agreements/dashboard/places/${place.id}`}>{localized(locale, '协议与任务进展', 'Agreements and commitments')}</a>
      </p>
      {frame.actor?.isPlatformAdmin ? (
        <p>
          <a href={`/workspace/audit?entityType=place&entityId=${place.id}`}>{t(locale, 'history')}</a>
        </p>
      ) : null}
    </WorkspaceLayout>
  );
}

function FormView(props: { frame: WorkspaceFrame; form: FormState; place?: Place }): VNode {
  const { frame, form, place } = props;
  const { locale } = frame;
  const title = place ? `${t(locale, 'edit')}: ${placeName(locale, place)}` : localized(locale, '新建地点', 'New place');
  return (
    <WorkspaceLayout frame={frame} area="places" title={title}>
      <h1>{title}</h1>
      <FormErrorSummary form={form} locale={locale} />
      <form method="post" action={place ? `/workspace/places/${place.id}` : '/workspace/places'} novalidate>
        <CsrfField token={frame.csrfToken} />
        <TextField name="nameZh" label={t(locale, 'nameZh')} form={form} required />
        <TextField
          name="nameEn"
          label={t(locale, 'nameEn')}
          hint={localized(locale, '没有英文名称时留空。', 'Leave empty when none is on record.')}
          form={form}
        />
        <SelectField name="level" label={localized(locale, '级别', 'Level')} form={form} options={levelOptions(locale, placeLevels)} required />
        <TextField
          name="code"
          label={localized(locale, '行政区划代码', 'Division code')}
          hint={localized(
            locale,
            '国家行政区划代码，6 至 12 位数字（如大兴区 110115）。不知道时留空，切勿编造。',
            'The national administrative division code, 6 to 12 digits (Daxing District: 110115). Leave it empty when not known; never make one up.',
          )}
          form={form}
        />
        <TextField
          name="parent"
          label={localized(locale, '上级地点', 'Parent place')}
          hint={localized(
            locale,
            '上级的代码，或从最近的有代码的上级写起的路径，如 110115/观音寺街道；须在本组织所辖的地点范围内。留空表示最高一级（仅平台管理员）。',
            "The parent's code, or a path down from the nearest place with a code, e.g. 110115/观音寺街道; it must lie within the places your federation covers. Empty: at the top (platform administrators only).",
          )}
          form={form}
        />
        <TextField name="lat" label={localized(locale, '纬度', 'Latitude')} hint={localized(locale, '如 39.9042；不知道时留空。', 'E.g. 39.9042; empty when not known.')} form={form} />
        <TextField name="lon" label={localized(locale, '经度', 'Longitude')} hint={localized(locale, '如 116.4074。', 'E.g. 116.4074.')} form={form} />
        <p class="actions">
          <button class="primary" type="submit">
            {t(locale, 'save')}
          </button>
          <a href={place ? `/workspace/places/${place.id}` : '/workspace/places'}>{t(locale, 'cancel')}</a>
        </p>
      </form>
    </WorkspaceLayout>
  );
}

function DeleteView(props: { frame: WorkspaceFrame; place: Place; error?: string }): VNode {
  const { frame, place } = props;
  const name = placeName(frame.locale, place);
  return (
    <ConfirmPage
      frame={frame}
      area="places"
      title={`${t(frame.locale, 'delete')}: ${name}`}
      text={t(frame.locale, 'confirmDelete', { name })}
      action={`/workspace/places/${place.id}/delete`}
      back={`/workspace/places/${place.id}`}
      button={t(frame.locale, 'delete')}
      error={props.error}
    />
  );
}

/** How many rows of each kind the report lists; the counts cover them all. */
const reportListLimit = 200;

function ImportReportView(props: { locale: Locale; report: PlaceImportReport }): VNode {
  const { locale, report } = props;
  if (report.fileProblem) {
    return (
      <div class="alert error" role="alert">
        <p>{inLocale(locale, report.fileProblem)}</p>
      </div>
    );
  }
  const refusedCount = report.refused.length;
  const summary = localized(
    locale,
    `共 ${report.rows} 行：新增 ${report.added.length}，修改 ${report.updated.length}，无变化 ${report.unchanged}，拒绝 ${refusedCount}。`,
    `${report.rows} rows: ${report.added.length} to add, ${report.updated.length} to change, ${report.unchanged} unchanged, ${refusedCount} refused.`,
  );
  const outcome = report.dryRun
    ? localized(locale, '试运行：未写入任何内容。', 'Dry run: nothing was written.')
    : report.written
      ? localized(locale, '已导入。', 'Imported.')
      : localized(locale, '有被拒绝的行，因此未写入任何内容。请修改文件后重新导入。', 'Some rows are refused, so nothing was written. Correct the file and import it again.');
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{localized(locale, '导入报告', 'Import report')}</h2>
      <div class={refusedCount > 0 ? 'alert error' : 'alert ok'} role={refusedCount > 0 ? 'alert' : 'status'}>
        <p>{outcome}</p>
        <p>{summary}</p>
      </div>
      {refusedCount > 0 ? (
        <>
          <h3>{localized(locale, '被拒绝的行', 'Refused rows')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{localized(locale, '行', 'Row')}</th>
                <th scope="col">{localized(locale, '原因', 'Reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.refused.slice(0, reportListLimit).map((refused) => (
                <tr class="refused">
                  <td>{refused.row}</td>
                  <td>{refused.problems.map((problem) => inLocale(locale, problem)).join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {refusedCount > reportListLimit ? <p class="muted">{localized(locale, `仅列出前 ${reportListLimit} 行。`, `The first ${reportListLimit} are listed.`)}</p> : null}
        </>
      ) : null}
      {report.added.length > 0 ? (
        <>
          <h3>{report.written ? localized(locale, '新增的地点', 'Places added') : localized(locale, '将新增的地点', 'Places to add')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{localized(locale, '行', 'Row')}</th>
                <th scope="col">{localized(locale, '地点', 'Place')}</th>
                <th scope="col">{localized(locale, '级别', 'Level')}</th>
                <th scope="col">{localized(locale, '代码', 'Code')}</th>
              </tr>
            </thead>
            <tbody>
              {report.added.slice(0, reportListLimit).map((row) => (
                <tr class="added">
                  <td>{row.row}</td>
                  <td lang="zh-CN">{row.nameZh}</td>
                  <td>{levelLabel(locale, row.level)}</td>
                  <td>{row.code ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.added.length > reportListLimit ? <p class="muted">{localized(locale, `仅列出前 ${reportListLimit} 行。`, `The first ${reportListLimit} are listed.`)}</p> : null}
        </>
      ) : null}
      {report.updated.length > 0 ? (
        <>
          <h3>{report.written ? localized(locale, '修改的地点', 'Places changed') : localized(locale, '将修改的地点', 'Places to change')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{localized(locale, '行', 'Row')}</th>
                <th scope="col">{localized(locale, '地点', 'Place')}</th>
                <th scope="col">{t(locale, 'changes')}</th>
              </tr>
            </thead>
            <tbody>
              {report.updated.slice(0, reportListLimit).map((row) => (
                <tr class="updated">
                  <td>{row.row}</td>
                  <td lang="zh-CN">
                    {row.nameZh}
                    {row.code ? ` (${row.code})` : ''}
                  </td>
                  <td>
                    {row.changes.map((change) => (
                      <div>
                        <code>{change.field}</code>: {change.before || '—'} → {change.after || '—'}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.updated.length > reportListLimit ? <p class="muted">{localized(locale, `仅列出前 ${reportListLimit} 行。`, `The first ${reportListLimit} are listed.`)}</p> : null}
        </>
      ) : null}
    </section>
  );
}

function ImportView(props: { frame: WorkspaceFrame; dryRun: boolean; report?: PlaceImportReport; problem?: Bilingual }): VNode {
  const { frame } = props;
  const { locale } = frame;
  const title = localized(locale, '导入地点', 'Import places');
  const mib = placeImportLimits.maxBytes / 1024 / 1024;
  return (
    <WorkspaceLayout frame={frame} area="places" title={title}>
      <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
        <a href="/workspace/places">{placesTitle(locale)}</a>
      </nav>
      <h1>{title}</h1>
      {props.problem ? (
        <div class="alert error" role="alert">
          <p>{inLocale(locale, props.problem)}</p>
        </div>
      ) : null}
      <p>
        {localized(
          locale,
          `上传 UTF-8 编码的 CSV 文件（Excel：“另存为”→“CSV UTF-8（逗号分隔）”），不超过 ${mib} MiB、${placeImportLimits.maxRows.toLocaleString('en')} 行。`,
          `Upload a UTF-8 CSV file (Excel: Save As → "CSV UTF-8 (Comma delimited)") of at most ${mib} MiB and ${placeImportLimits.maxRows.toLocaleString('en')} rows.`,
        )}
      </p>
      <p>
        {localized(locale, '列：', 'Columns: ')}
        <code>{placeCsvColumns.join(',')}</code>
        {localized(
          locale,
          '。name_zh 和 level 必填；level 为 province、municipality、district、subdistrict、community 或 village；parent_code 为上级的代码，上级没有代码时写从最近的有代码的上级起的路径（如 110115/观音寺街道），上级须已存在或在文件中更靠前；lat、lon 同时填写或都不填。',
          '. name_zh and level are required; level is province, municipality, district, subdistrict, community or village; parent_code is the parent’s code or, for a parent without one, its path down from the nearest code (e.g. 110115/观音寺街道); the parent must exist already or come earlier in the file; lat and lon come together or not at all.',
        )}
      </p>
      <p>
        {localized(
          locale,
          '有代码的行按代码对应已有地点（有则修改，无则新增）；没有代码的行按上级和中文名称对应。只能新增或修改本组织所辖范围内的地点（最高一级仅限平台管理员）。先试运行查看报告；正式导入时只要有一行被拒绝，就不会写入任何内容。',
          'A row with a code changes the place with that code, or adds one; a row without a code is matched by parent and Chinese name. Rows may add or change only places within the places your federation covers (the top level: platform administrators only). Try a dry run first; a real import writes nothing at all if any row is refused.',
        )}{' '}
        <a href="/workspace/places/export.csv" download>
          {localized(locale, '导出现有地点', 'Export the current places')}
        </a>
      </p>
      <form method="post" action="/workspace/places/import" enctype="multipart/form-data">
        <CsrfField token={frame.csrfToken} />
        <div class="field">
          <label for="file">
            {localized(locale, 'CSV 文件', 'CSV file')}
            <span aria-hidden="true"> *</span>
          </label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <div class="field">
          <label>
            <input type="checkbox" name="dryRun" value="on" checked={props.dryRun} />{' '}
            {localized(locale, '试运行（只检查并报告，不写入）', 'Dry run (check and report; write nothing)')}
          </label>
        </div>
        <p class="actions">
          <button class="primary" type="submit">
            {localized(locale, '导入', 'Import')}
          </button>
          <a href="/workspace/places">{t(locale, 'cancel')}</a>
        </p>
      </form>
      {props.report ? <ImportReportView locale={locale} report={props.report} /> : null}
    </WorkspaceLayout>
  );
}

// The organization page shows where the organization is.
addOrganizationPageSection(async (request, organization, locale) => {
  const chain = await placeService.getOrganizationPlace(request.server.db, actorOf(request), organization.id);
  return (
    <>
      <h2>{localized(locale, '所在地点', 'Located in')}</h2>
      {chain && chain.length > 0 ? (
        <p>
          {chain.map((place, index) => (
            <>
              {index > 0 ? ' › ' : null}
              <a href={`/workspace/places/${place.id}`}>{placeName(locale, place)}</a>
            </>
          ))}
        </p>
      ) : (
        <p class="muted">{localized(locale, '未记录。', 'Not recorded.')}</p>
      )}
    </>
  );
});

function formValues(place: Place, parentReference: string): FormState {
  return formState({
    nameZh: place.nameZh,
    nameEn: place.nameEn,
    level: place.level,
    code: place.code,
    parent: parentReference,
    lat: place.lat,
    lon: place.lon,
  });
}

/** Reads the uploaded file and the dry-run box from a multipart form. */
function uploadOf(body: unknown): { file: Buffer | undefined; dryRun: boolean } {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const file = fields.file;
  return { file: Buffer.isBuffer(file) ? file : undefined, dryRun: fields.dryRun !== undefined && fields.dryRun !== '' };
}

/** The workspace pages of the places gazetteer: browse, search, read, change, import and export. */
export const placePages: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireWorkspaceSession);

  async function sendForm(request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, place?: Place) {
    return sendWorkspacePage(reply, <FormView frame={workspaceFrame(request)} form={form} place={place} />, status);
  }

  async function sendDetail(request: FastifyRequest, reply: FastifyReply, id: number, notice?: string) {
    const place = await placeService.getPlaceDetail(app.db, actorOf(request), id);
    return sendWorkspacePage(reply, <DetailView frame={workspaceFrame(request)} place={place} notice={notice} />);
  }

  /** Turns the form's parent reference into an id, or the form to show again with the message beside it. */
  async function withParent(request: FastifyRequest, form: FormState, value: z.infer<typeof placeForm>) {
    const { locale } = workspaceFrame(request);
    try {
      const parentId = await placeService.resolveParentReference(app.db, actorOf(request), value.parent);
      const { parent: _parent, ...fields } = value;
      return { ok: true as const, input: { ...fields, parentId } };
    } catch (error) {
      const shown = formWithServiceError(form, error, locale);
      if (!shown) throw error;
      return { ok: false as const, form: shown, status: (error as DomainError).status };
    }
  }

  app.get('/workspace/places', async (request, reply) => {
    const frame = workspaceFrame(request);
    const actor = actorOf(request);
    const { locale } = frame;
    const parsed = parseForm(placeQuery, submittedQuery(request.query), locale);
    const mayEdit = await placeService.mayEditPlaces(app.db, actor);
    if (!parsed.ok) {
      // A hand-made address with a wrong value: say which, and list nothing rather than guess.
      const page = { items: [], total: 0, limit: pageSize, offset: 0 };
      return sendWorkspacePage(reply, <ListView frame={frame} page={page} scope={{ kind: 'search' }} filters={localizeForm(parsed.form, locale)} mayEdit={mayEdit} />, 400);
    }
    const query = parsed.value;
    const searching = query.q !== undefined || query.level !== undefined;
    let scope: ListScope;
    if (query.parentId !== undefined && !searching) scope = { kind: 'children', of: await placeService.getPlaceDetail(app.db, actor, query.parentId) };
    else if (searching || query.within !== undefined || query.parentId !== undefined) {
      const withinId = query.within ?? query.parentId;
      scope = { kind: 'search', within: withinId === undefined ? undefined : await placeService.getPlaceDetail(app.db, actor, withinId) };
    } else scope = { kind: 'top' };
    const page = await placeService.listPlaces(app.db, actor, {
      q: query.q,
      level: query.level,
      parentId: scope.kind === 'children' ? scope.of.id : undefined,
      within: scope.kind === 'search' ? scope.within?.id : undefined,
      topLevel: scope.kind === 'top' ? 'true' : undefined,
      limit: pageSize,
      offset: query.offset,
    });
    const filters = formState({
      q: query.q,
      level: query.level,
      parentId: scope.kind === 'children' ? scope.of.id : undefined,
      within: scope.kind === 'search' ? scope.within?.id : undefined,
    });
    return sendWorkspacePage(reply, <ListView frame={frame} page={page} scope={scope} filters={filters} mayEdit={mayEdit} />);
  });

  app.get('/workspace/places/export.csv', async (request, reply) => {
    const csv = await exportPlacesCsv(app.db, actorOf(request));
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="places-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  app.get('/workspace/places/import', async (request, reply) => {
    await placeService.assertMayEditPlaces(app.db, actorOf(request));
    return sendWorkspacePage(reply, <ImportView frame={workspaceFrame(request)} dryRun />);
  });

  // The upload: multipart only here, the file held in memory up to the size limit.
  await app.register(async (upload) => {
    await upload.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: placeImportLimits.maxBytes, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    });
    // Read no upload for someone who is not signed in: the guard's redirect comes before the body.
    upload.addHook('onRequest', async (request, reply) => {
      if (!(await loadSession(request))) return reply.redirect('/workspace/sign-in?next=%2Fworkspace%2Fplaces%2Fimport', 303);
      return undefined;
    });
    upload.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error.code !== 'FST_REQ_FILE_TOO_LARGE' || !request.session) throw error;
      return sendWorkspacePage(reply, <ImportView frame={workspaceFrame(request)} dryRun problem={tooLargeProblem()} />, 413);
    });

    upload.post('/workspace/places/import', async (request, reply) => {
      const actor = actorOf(request);
      await placeService.assertMayEditPlaces(app.db, actor);
      const { file, dryRun } = uploadOf(request.body);
      const frame = workspaceFrame(request);
      if (!file || file.length === 0) {
        const problem = { zh: '请选择要导入的 CSV 文件。', en: 'Choose the CSV file to import.' };
        return sendWorkspacePage(reply, <ImportView frame={frame} dryRun={dryRun} problem={problem} />, 400);
      }
      const report = await importPlaces(app.db, actor, file, { dryRun });
      const status = report.fileProblem ? 400 : report.refused.length > 0 && !dryRun ? 422 : 200;
      return sendWorkspacePage(reply, <ImportView frame={frame} dryRun={dryRun} report={report} />, status);
    });
  });

  app.get('/workspace/places/new', { schema: { querystring: z.object({ parentId: z.coerce.number().int().positive().optional() }) } }, async (request, reply) => {
    const actor = actorOf(request);
    // Only someone who may change places gets the form; below a place, only within her territory.
    await placeService.assertMayEditPlaces(app.db, actor);
    const parentId = request.query.parentId;
    if (parentId === undefined) return sendForm(request, reply, formState({ level: 'province' }), 200);
    await placeService.assertMayChangePlace(app.db, actor, parentId);
    const parent = await placeService.getPlace(app.db, actor, parentId);
    const level = levelsUnder(parent.level)[0] ?? 'community';
    return sendForm(request, reply, formState({ parent: await placeService.referenceOfPlace(app.db, actor, parentId), level }), 200);
  });

  app.post('/workspace/places', async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    await placeService.assertMayEditPlaces(app.db, actor);
    const parsed = parseForm(placeForm, request.body, locale);
    if (!parsed.ok) return sendForm(request, reply, localizeForm(parsed.form, locale), 400);
    const submitted = formState({ ...parsed.value });
    const resolved = await withParent(request, submitted, parsed.value);
    if (!resolved.ok) return sendForm(request, reply, resolved.form, resolved.status);
    try {
      const created = await placeService.createPlace(app.db, actor, resolved.input);
      return reply.redirect(`/workspace/places/${created.id}`, 303);
    } catch (error) {
      const form = formWithServiceError(submitted, error, locale);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status);
    }
  });

  app.get('/workspace/places/:id', { schema: { params: placeParams } }, async (request, reply) => sendDetail(request, reply, request.params.id));

  app.get('/workspace/places/:id/edit', { schema: { params: placeParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const place = await placeService.getPlaceDetail(app.db, actor, request.params.id);
    if (!place.editable) throw notFound();
    return sendForm(request, reply, formValues(place, place.parentReference), 200, place);
  });

  app.post('/workspace/places/:id', { schema: { params: placeParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const place = await placeService.getPlace(app.db, actor, request.params.id);
    // Refuse a place outside the actor's territory before looking at the form, as "not found".
    await placeService.assertMayChangePlace(app.db, actor, place.id);
    const parsed = parseForm(placeForm, request.body, locale);
    if (!parsed.ok) return sendForm(request, reply, localizeForm(parsed.form, locale), 400, place);
    const submitted = formState({ ...parsed.value });
    const resolved = await withParent(request, submitted, parsed.value);
    if (!resolved.ok) return sendForm(request, reply, resolved.form, resolved.status, place);
    try {
      await placeService.updatePlace(app.db, actor, place.id, resolved.input);
    } catch (error) {
      const form = formWithServiceError(submitted, error, locale);
      if (!form) throw error;
      return sendForm(request, reply, form, (error as DomainError).status, place);
    }
    return sendDetail(request, reply, place.id, t(locale, 'saved'));
  });

  app.get('/workspace/places/:id/delete', { schema: { params: placeParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const place = await placeService.getPlace(app.db, actor, request.params.id);
    await placeService.assertMayChangePlace(app.db, actor, place.id);
    return sendWorkspacePage(reply, <DeleteView frame={workspaceFrame(request)} place={place} />);
  });

  app.post('/workspace/places/:id/delete', { schema: { params: placeParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { locale } = workspaceFrame(request);
    const place = await placeService.getPlace(app.db, actor, request.params.id);
    try {
      await placeService.deletePlace(app.db, actor, place.id);
    } catch (error) {
      if (error instanceof DomainError && error.status === 409) {
        const text = error instanceof PlaceRuleError ? inLocale(locale, error.text) : error.message;
        return sendWorkspacePage(reply, <DeleteView frame={workspaceFrame(request)} place={place} error={text} />, 409);
      }
      throw error;
    }
    const back = place.parentId === null ? '/workspace/places' : `/workspace/places/${place.parentId}`;
    return reply.redirect(back, 303);
  });
};
