import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ComponentChildren, VNode } from 'preact';
import type { MapSettings } from '../../config.ts';
import { assetHref } from '../../platform/assets.ts';
import { notFound } from '../../platform/errors.ts';
import { renderDocument } from '../../platform/html.tsx';
import { localized, t, type Locale } from '../../platform/i18n.ts';
import { htmlLang, serviceDirectoryHref } from '../../platform/layout.tsx';
import { Frame, portalContext, portalHref, type PortalContext } from '../articles/article.pages.tsx';
import { portalParams } from '../articles/article.schema.ts';
import { canonicalUrl, scriptJson } from '../articles/portal-meta.tsx';
import { MediaPicture, mediaSrcset } from '../media/media.picture.tsx';
import * as directoryService from './facility-directory.service.ts';
import type { DirectoryEntry, DirectoryPage, PathPlace, PublicFacility, Taxonomy } from './facility-directory.service.ts';
import { directoryQuery, facilityId, facilityParams } from './facility-directory.schema.ts';
import { formatWeeklyHours } from './opening-hours.ts';
import type { Bilingual } from './place.rules.ts';

/** The choices a directory address carries; left out, a choice is "all". */
export interface DirectoryLink {
  place?: number;
  kind?: string;
  service?: string;
  q?: string;
  open?: boolean;
  page?: number;
}

/** Addresses of the directory's pages, relative to the host like portalHref's. */
export const directoryHref = {
  list: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, link: DirectoryLink = {}): string => {
    const query = new URLSearchParams();
    if (link.place !== undefined) query.set('place', String(link.place));
    if (link.kind) query.set('kind', link.kind);
    if (link.service) query.set('service', link.service);
    if (link.q) query.set('q', link.q);
    if (link.open) query.set('open', '1');
    if (link.page !== undefined && link.page > 1) query.set('page', String(link.page));
    const search = query.toString();
    return `${serviceDirectoryHref(portalHref.home(ctx, locale))}${search === '' ? '' : `?${search}`}`;
  },
  facility: (ctx: Pick<PortalContext, 'basePath'>, locale: Locale, id: number): string =>
    `${serviceDirectoryHref(portalHref.home(ctx, locale))}/${id}`,
};

const otherLocale = (locale: Locale): Locale => (locale === 'zh' ? 'en' : 'zh');

/** A bilingual text in the reader's language, else in the other one (with its language, for the lang attribute). */
function textIn(locale: Locale, text: Bilingual): { text: string; lang: Locale } {
  const own = text[locale].trim();
  return own !== '' ? { text: own, lang: locale } : { text: text[otherLocale(locale)].trim(), lang: otherLocale(locale) };
}

/** A bilingual text in the reader's language, marked with the other language when it had to fall back to it. */
function Text(props: { locale: Locale; text: Bilingual }): VNode {
  const shown = textIn(props.locale, props.text);
  return shown.lang === props.locale ? <>{shown.text}</> : <span lang={htmlLang[shown.lang]}>{shown.text}</span>;
}

const nameOf = (locale: Locale, text: Bilingual): string => textIn(locale, text).text;

function coordinates(lat: number, lon: number): string {
  return `${lat.toFixed(6)}, ${lon.toFixed(6)}`;
}

function placePathText(locale: Locale, path: readonly PathPlace[]): string {
  return path.map((place) => nameOf(locale, place.name)).join(' > ');
}

/** Open now, closed now, or temporarily closed: in words, never by colour alone. */
function OpenBadge(props: { locale: Locale; status: DirectoryEntry['status']; openNow: boolean | null }): VNode | null {
  const { locale } = props;
  if (props.status === 'temporarily_closed') {
    return <strong class="badge badge-closed">{localized(locale, '暂停开放', 'Temporarily closed')}</strong>;
  }
  if (props.openNow === null) return null;
  return props.openNow ? (
    <strong class="badge badge-open">{localized(locale, '正在开放', 'Open now')}</strong>
  ) : (
    <span class="badge">{localized(locale, '当前未开放', 'Closed now')}</span>
  );
}

/** The markers a map shows: located facilities with their names and pages. */
interface MapMarker {
  lat: number;
  lon: number;
  name: string;
  href: string;
}

/**
 * The map where the deployment configured a tile source: an element our script fills with Leaflet,
 * hidden until it does, and its markers as JSON. Without a tile source nothing is rendered and no
 * page asks another host for anything.
 */
function FacilityMap(props: { locale: Locale; map: MapSettings | undefined; markers: MapMarker[] }): VNode | null {
  if (!props.map || props.markers.length === 0) return null;
  const data = { tileUrl: props.map.tileUrl, attribution: props.map.attribution, markers: props.markers };
  return (
    <>
      <link rel="stylesheet" href={assetHref('leaflet.css')} />
      <div id="facility-map" class="facility-map" role="region" aria-label={localized(props.locale, '地图', 'Map')} hidden />
      <script type="application/json" id="facility-map-data" dangerouslySetInnerHTML={{ __html: scriptJson(data) }} />
      <script src={assetHref('leaflet.js')} defer />
      <script src={assetHref('directory-map.js')} defer />
    </>
  );
}

function markersOf(ctx: PortalContext, facilities: readonly (Pick<DirectoryEntry, 'id' | 'name' | 'lat' | 'lon'>)[]): MapMarker[] {
  return facilities.flatMap((facility) =>
    facility.lat === null || facility.lon === null
      ? []
      : [{ lat: facility.lat, lon: facility.lon, name: nameOf(ctx.locale, facility.name), href: directoryHref.facility(ctx, ctx.locale, facility.id) }],
  );
}

/** Home > Service directory > the places down to the one given, each a link into the directory. */
function DirectoryCrumbs(props: { ctx: PortalContext; path: readonly PathPlace[]; currentIsLast: boolean }): VNode {
  const { ctx, path } = props;
  const { locale } = ctx;
  return (
    <nav class="crumbs" aria-label={t(locale, 'breadcrumb')}>
      <ol>
        <li>
          <a href={portalHref.home(ctx, locale)}>{t(locale, 'home')}</a>
        </li>
        <li>
          {path.length === 0 && props.currentIsLast ? (
            <span aria-current="page">{t(locale, 'serviceDirectory')}</span>
          ) : (
            <a href={directoryHref.list(ctx, locale)}>{t(locale, 'serviceDirectory')}</a>
          )}
        </li>
        {path.map((place, index) => (
          <li>
            {props.currentIsLast && index === path.length - 1 ? (
              <span aria-current="page">{nameOf(locale, place.name)}</span>
            ) : (
              <a href={directoryHref.list(ctx, locale, { place: place.id })}>{nameOf(locale, place.name)}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A choice of kind or service by its code; "all" first. */
function TaxonomySelect(props: { locale: Locale; name: 'kind' | 'service'; label: string; choices: readonly Taxonomy[]; chosen: Taxonomy | undefined }): VNode {
  const id = `directory-${props.name}`;
  return (
    <p>
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        <option value="">{t(props.locale, 'all')}</option>
        {props.choices.map((choice) => (
          <option value={choice.code} selected={props.chosen?.id === choice.id}>
            {nameOf(props.locale, choice.name)}
          </option>
        ))}
      </select>
    </p>
  );
}

function FilterForm(props: { ctx: PortalContext; data: DirectoryPage }): VNode {
  const { ctx, data } = props;
  const { locale } = ctx;
  const { filters } = data;
  const filtered = filters.kind !== undefined || filters.service !== undefined || filters.q !== '' || filters.open;
  return (
    <form class="directory-filters" method="get" action={directoryHref.list(ctx, locale)} aria-label={t(locale, 'filter')}>
      {filters.place ? <input type="hidden" name="place" value={String(filters.place.id)} /> : null}
      <p>
        <label for="directory-q">{localized(locale, '名称或地址', 'Name or address')}</label>
        <input id="directory-q" type="search" name="q" value={filters.q} maxLength={200} />
      </p>
      <TaxonomySelect locale={locale} name="kind" label={localized(locale, '阵地类型', 'Kind')} choices={data.kinds} chosen={filters.kind} />
      <TaxonomySelect locale={locale} name="service" label={localized(locale, '服务项目', 'Service')} choices={data.services} chosen={filters.service} />
      <p class="check">
        <input id="directory-open" type="checkbox" name="open" value="1" checked={filters.open} />
        <label for="directory-open">{localized(locale, '只看正在开放的', 'Open now only')}</label>
      </p>
      <p>
        <button type="submit">{t(locale, 'filter')}</button>
        {filtered ? <a href={directoryHref.list(ctx, locale, { place: filters.place?.id })}>{localized(locale, '清除筛选', 'Clear filters')}</a> : null}
      </p>
    </form>
  );
}

/** Browse by place: the places directly under the one browsed that have facilities here. */
function PlaceBrowser(props: { ctx: PortalContext; data: DirectoryPage; keep: DirectoryLink }): VNode | null {
  const { ctx, data } = props;
  const { locale } = ctx;
  if (data.childPlaces.length === 0) return null;
  const here = data.trail.at(-1);
  return (
    <nav class="directory-places" aria-labelledby="directory-places-title">
      <h2 id="directory-places-title">
        {here
          ? localized(locale, `${nameOf(locale, here.name)}下辖地区`, `Places in ${nameOf(locale, here.name)}`)
          : localized(locale, '按地区浏览', 'Browse by place')}
      </h2>
      <ul>
        {data.childPlaces.map((place) => (
          <li>
            <a href={directoryHref.list(ctx, locale, { ...props.keep, place: place.id })}>{nameOf(locale, place.name)}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function EntryItem(props: { ctx: PortalContext; entry: DirectoryEntry }): VNode {
  const { ctx, entry } = props;
  const { locale } = ctx;
  const address = textIn(locale, entry.address);
  return (
    <li>
      <h3>
        <a href={directoryHref.facility(ctx, locale, entry.id)}>
          <Text locale={locale} text={entry.name} />
        </a>
      </h3>
      <p class="facility-line">
        <span>
          <Text locale={locale} text={entry.kind.name} />
        </span>
        <OpenBadge locale={locale} status={entry.status} openNow={entry.openNow} />
      </p>
      <p>
        {localized(locale, '所在地区：', 'Place: ')}
        {placePathText(locale, entry.placePath)}
      </p>
      {address.text !== '' ? (
        <p>
          {localized(locale, '地址：', 'Address: ')}
          <span lang={address.lang === locale ? undefined : htmlLang[address.lang]}>{address.text}</span>
        </p>
      ) : null}
      {entry.lat !== null && entry.lon !== null ? (
        <p>
          {localized(locale, '坐标：', 'Coordinates: ')}
          {coordinates(entry.lat, entry.lon)}
        </p>
      ) : null}
      {entry.services.length > 0 ? (
        <p>
          {localized(locale, '服务项目：', 'Services: ')}
          {entry.services.map((service) => nameOf(locale, service.name)).join(localized(locale, '、', ', '))}
        </p>
      ) : null}
    </li>
  );
}

/** The directory page: filters, places to browse into, the facilities that match, a map where configured. */
export function DirectoryView(props: { ctx: PortalContext; data: DirectoryPage; map: MapSettings | undefined }): VNode {
  const { ctx, data } = props;
  const { locale } = ctx;
  const { filters } = data;
  const current: DirectoryLink = {
    place: filters.place?.id,
    kind: filters.kind?.code,
    service: filters.service?.code,
    q: filters.q,
    open: filters.open,
  };
  const pageHref = (page: number) => directoryHref.list(ctx, locale, { ...current, page });
  const heading = t(locale, 'serviceDirectory');
  const title = filters.place ? `${nameOf(locale, filters.place.name)} - ${heading}` : heading;
  return (
    <Frame
      ctx={ctx}
      title={title}
      description={localized(locale, '妇女之家、妇女服务中心等服务阵地：地址、开放时间与服务项目。', "Women's homes, service centres and other places that serve women: addresses, opening hours and services.")}
      hrefIn={(l) => directoryHref.list(ctx, l, { ...current, page: l === locale ? data.page : undefined })}
      meta={{ selfHref: pageHref(data.page) }}
    >
      <DirectoryCrumbs ctx={ctx} path={filters.place ? data.trail : []} currentIsLast />
      <h1>{title}</h1>
      <FilterForm ctx={ctx} data={data} />
      <PlaceBrowser ctx={ctx} data={data} keep={{ ...current, place: undefined }} />
      <section aria-labelledby="directory-results-title">
        <h2 id="directory-results-title">{localized(locale, '服务阵地列表', 'Facilities')}</h2>
        <p role="status">
          {data.total === 0
            ? localized(locale, '没有符合条件的服务阵地。', 'No facility matches.')
            : data.more
              ? localized(locale, `超过 ${data.total} 处，可按地区或服务缩小范围`, `More than ${data.total} facilities: narrow them by place or service`)
              : localized(locale, `共 ${data.total} 处`, data.total === 1 ? '1 facility' : `${data.total} facilities`)}
        </p>
        {data.total > 0 && data.entries.length === 0 ? <p>{localized(locale, '没有这么多页。', 'There are not that many pages.')}</p> : null}
        <FacilityMap locale={locale} map={props.map} markers={markersOf(ctx, data.entries)} />
        {data.entries.length > 0 ? (
          <ol class="facilities">
            {data.entries.map((entry) => (
              <EntryItem ctx={ctx} entry={entry} />
            ))}
          </ol>
        ) : null}
        {data.page > 1 || data.hasNextPage ? (
          <nav class="pager" aria-label={t(locale, 'pagination')}>
            {data.page > 1 ? <a href={pageHref(Math.min(data.page - 1, data.pages ?? data.page))}>{t(locale, 'previousPage')}</a> : <span />}
            <span>
              {data.pages === null
                ? localized(locale, `第 ${data.page} 页`, `Page ${data.page}`)
                : t(locale, 'pageOf', { page: data.page, pages: data.pages })}
            </span>
            {data.hasNextPage ? <a href={pageHref(data.page + 1)}>{t(locale, 'nextPage')}</a> : <span />}
          </nav>
        ) : null}
      </section>
    </Frame>
  );
}

const schemaDays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The absolute address of a library image's usual rendition. */
function photoUrl(ctx: PortalContext, photo: PublicFacility['photos'][number]): string {
  const root = ctx.site.host ? `https://${ctx.site.host}` : ctx.origin;
  return `${root}${mediaSrcset(photo).src}`;
}

/** The place nested in the places above it, as schema.org's containedInPlace reads. */
function containedIn(locale: Locale, path: readonly PathPlace[]): Record<string, unknown> | undefined {
  return path.reduce<Record<string, unknown> | undefined>(
    (outer, place) => ({ '@type': 'AdministrativeArea', name: nameOf(locale, place.name), containedInPlace: outer }),
    undefined,
  );
}

/**
 * schema.org CivicStructure for a facility's page: address, coordinates, contact, weekly opening hours
 * and the coming exceptions (closed all day: opens and closes at 00:00).
 */
export function facilityJsonLd(ctx: PortalContext, facility: PublicFacility, url: string): Record<string, unknown> {
  const { locale } = ctx;
  const name = nameOf(locale, facility.name);
  const otherName = facility.name[otherLocale(locale)].trim();
  const region = facility.placePath[0];
  const locality = facility.placePath.find((place) => place.level === 'district') ?? facility.placePath.find((place) => place.level === 'municipality');
  const intervals = new Map<string, { opens: string; closes: string; days: string[] }>();
  for (const opening of facility.hours) {
    const key = `${opening.opens}-${opening.closes}`;
    const entry = intervals.get(key) ?? { opens: opening.opens, closes: opening.closes, days: [] };
    entry.days.push(`https://schema.org/${schemaDays[opening.weekday - 1] ?? ''}`);
    intervals.set(key, entry);
  }
  const description = textIn(locale, facility.description).text;
  return {
    '@context': 'https://schema.org',
    '@type': 'CivicStructure',
    '@id': url,
    url,
    name,
    alternateName: otherName !== '' && otherName !== name ? otherName : undefined,
    description: description || undefined,
    address: {
      '@type': 'PostalAddress',
      streetAddress: textIn(locale, facility.address).text || undefined,
      addressLocality: locality && locality !== region ? nameOf(locale, locality.name) : undefined,
      addressRegion: region ? nameOf(locale, region.name) : undefined,
    },
    geo: facility.lat !== null && facility.lon !== null ? { '@type': 'GeoCoordinates', latitude: facility.lat, longitude: facility.lon } : undefined,
    containedInPlace: containedIn(locale, facility.placePath),
    telephone: facility.phone || undefined,
    email: facility.email || undefined,
    sameAs: facility.website || undefined,
    image: facility.photos.length > 0 ? facility.photos.map((photo) => photoUrl(ctx, photo)) : undefined,
    openingHoursSpecification: [...intervals.values()].map((interval) => ({
      '@type': 'OpeningHoursSpecification',
      dayOfWeek: interval.days,
      opens: interval.opens,
      closes: interval.closes,
    })),
    specialOpeningHoursSpecification: facility.exceptions.map((exception) => ({
      '@type': 'OpeningHoursSpecification',
      validFrom: exception.onDate,
      validThrough: exception.onDate,
      opens: exception.opens ?? '00:00',
      closes: exception.closes ?? '00:00',
      description: textIn(locale, { zh: exception.noteZh, en: exception.noteEn }).text || undefined,
    })),
  };
}

function Fact(props: { label: string; children: ComponentChildren }): VNode {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

/** A facility's page: everything a visitor needs, in the reader's language, and its JSON-LD. */
export function FacilityView(props: { ctx: PortalContext; facility: PublicFacility; map: MapSettings | undefined }): VNode {
  const { ctx, facility } = props;
  const { locale } = ctx;
  const name = nameOf(locale, facility.name);
  const other = otherLocale(locale);
  const otherName = facility.name[other].trim();
  const address = textIn(locale, facility.address);
  const otherAddress = facility.address[other].trim();
  const description = textIn(locale, facility.description);
  const accessibility = textIn(locale, facility.accessibility);
  const href = directoryHref.facility(ctx, locale, facility.id);
  const hours = formatWeeklyHours(facility.hours, locale);
  return (
    <Frame ctx={ctx} title={name} description={description.text || address.text || undefined} hrefIn={(l) => directoryHref.facility(ctx, l, facility.id)}>
      <DirectoryCrumbs ctx={ctx} path={facility.placePath} currentIsLast={false} />
      <article class="facility">
        <h1>{name}</h1>
        {otherName !== '' && otherName !== name ? (
          <p class="other-name" lang={htmlLang[other]}>
            {otherName}
          </p>
        ) : null}
        {facility.status === 'temporarily_closed' ? (
          <p class="notice" role="status">
            <strong>
              {localized(
                locale,
                '本服务阵地暂停开放，恢复开放前请勿前往。',
                'This facility is temporarily closed: please do not go there until it opens again.',
              )}
            </strong>
          </p>
        ) : null}
        <p class="facility-line">
          <span>
            <Text locale={locale} text={facility.kind.name} />
          </span>
          <OpenBadge locale={locale} status={facility.status} openNow={facility.openNow} />
        </p>
        {description.text !== '' ? <p lang={description.lang === locale ? undefined : htmlLang[description.lang]}>{description.text}</p> : null}
        <dl class="facts">
          <Fact label={localized(locale, '阵地类型', 'Kind')}>
            <Text locale={locale} text={facility.kind.name} />
          </Fact>
          <Fact label={localized(locale, '名称', 'Names')}>
            <span lang="zh-CN">{facility.name.zh}</span>
            {facility.name.en.trim() !== '' ? (
              <>
                <br />
                <span lang="en">{facility.name.en}</span>
              </>
            ) : null}
          </Fact>
          {address.text !== '' ? (
            <Fact label={localized(locale, '地址', 'Address')}>
              <span lang={address.lang === locale ? undefined : htmlLang[address.lang]}>{address.text}</span>
              {address.lang === locale && otherAddress !== '' && otherAddress !== address.text ? (
                <>
                  <br />
                  <span class="other-name" lang={htmlLang[other]}>
                    {otherAddress}
                  </span>
                </>
              ) : null}
            </Fact>
          ) : null}
          <Fact label={localized(locale, '所在地区', 'Place')}>
            {facility.placePath.map((place, index) => (
              <>
                {index > 0 ? ' > ' : null}
                <a href={directoryHref.list(ctx, locale, { place: place.id })}>{nameOf(locale, place.name)}</a>
              </>
            ))}
          </Fact>
          {facility.lat !== null && facility.lon !== null ? (
            <Fact label={localized(locale, '坐标', 'Coordinates')}>{coordinates(facility.lat, facility.lon)}</Fact>
          ) : null}
          <Fact label={localized(locale, '开放时间', 'Opening hours')}>
            {hours !== '' ? hours : localized(locale, '无固定开放时间', 'No regular opening hours')}
          </Fact>
          {facility.phone !== '' ? (
            <Fact label={localized(locale, '联系电话', 'Telephone')}>
              <a href={`tel:${facility.phone.replace(/[^0-9+]/g, '')}`}>{facility.phone}</a>
            </Fact>
          ) : null}
          {facility.email !== '' ? (
            <Fact label={localized(locale, '电子邮箱', 'Email')}>
              <a href={`mailto:${facility.email}`}>{facility.email}</a>
            </Fact>
          ) : null}
          {facility.website !== '' ? (
            <Fact label={localized(locale, '网站', 'Website')}>
              <a href={facility.website} rel="noopener noreferrer">
                {facility.website}
              </a>
            </Fact>
          ) : null}
          {facility.services.length > 0 ? (
            <Fact label={localized(locale, '服务项目', 'Services')}>
              <ul class="services">
                {facility.services.map((service) => (
                  <li>
                    <a href={directoryHref.list(ctx, locale, { service: service.code })}>{nameOf(locale, service.name)}</a>
                  </li>
                ))}
              </ul>
            </Fact>
          ) : null}
          {accessibility.text !== '' ? (
            <Fact label={localized(locale, '无障碍设施', 'Accessibility')}>
              <span lang={accessibility.lang === locale ? undefined : htmlLang[accessibility.lang]}>{accessibility.text}</span>
            </Fact>
          ) : null}
          <Fact label={localized(locale, '运营单位', 'Operated by')}>
            <Text locale={locale} text={facility.operator} />
          </Fact>
          {facility.host ? (
            <Fact label={localized(locale, '承办单位', 'Hosted by')}>
              <Text locale={locale} text={facility.host} />
            </Fact>
          ) : null}
          {facility.keeper ? (
            <Fact label={localized(locale, '负责人', 'Kept by')}>
              <Text locale={locale} text={facility.keeper} />
            </Fact>
          ) : null}
          {facility.verifiedOn ? (
            <Fact label={localized(locale, '信息核实日期', 'Details last checked')}>
              <time dateTime={facility.verifiedOn}>{facility.verifiedOn}</time>
            </Fact>
          ) : null}
        </dl>
        {facility.exceptions.length > 0 ? (
          <section aria-labelledby="facility-exceptions-title">
            <h2 id="facility-exceptions-title">{localized(locale, '近期开放时间调整', 'Coming changes to the hours')}</h2>
            <ul class="exceptions">
              {facility.exceptions.map((exception) => {
                const note = textIn(locale, { zh: exception.noteZh, en: exception.noteEn });
                return (
                  <li>
                    <time dateTime={exception.onDate}>{exception.onDate}</time>{' '}
                    {exception.opens !== null && exception.closes !== null
                      ? `${exception.opens}–${exception.closes}`
                      : localized(locale, '闭馆', 'Closed')}
                    {note.text !== '' ? (
                      <>
                        {localized(locale, '：', ': ')}
                        <span lang={note.lang === locale ? undefined : htmlLang[note.lang]}>{note.text}</span>
                      </>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
        ) : null}
        {facility.photos.length > 0 ? (
          <section aria-labelledby="facility-photos-title">
            <h2 id="facility-photos-title">{localized(locale, '照片', 'Photos')}</h2>
            <div class="photos">
              {facility.photos.map((photo) => (
                <MediaPicture media={photo} locale={locale} sizes="(min-width: 48rem) 24rem, 100vw" />
              ))}
            </div>
          </section>
        ) : null}
        <FacilityMap locale={locale} map={props.map} markers={markersOf(ctx, [facility])} />
      </article>
      <p>
        <a href={directoryHref.list(ctx, locale)}>{localized(locale, '返回服务阵地列表', 'Back to the service directory')}</a>
      </p>
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptJson(facilityJsonLd(ctx, facility, canonicalUrl(ctx, href))) }} />
    </Frame>
  );
}

function sendHtml(reply: FastifyReply, html: string, indexable: boolean): FastifyReply {
  reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache');
  if (!indexable) reply.header('x-robots-tag', 'noindex');
  return reply.send(html);
}

/** What the directory's pages need from the deployment: the map's tile source, if any. */
export interface DirectoryPagesOptions {
  map?: MapSettings | undefined;
}

/**
 * /:lang/facilities and /:lang/facilities/:id on every site. Never in the page cache: whether a
 * facility is open changes with the clock, not with the content.
 */
export const facilityDirectoryPages: FastifyPluginAsync<DirectoryPagesOptions> = async (app, options) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/:lang/facilities', { schema: { params: portalParams, querystring: directoryQuery } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    const data = await directoryService.readDirectory(app.db, ctx.site.id, ctx.locale, request.query, new Date());
    // Searches and "open now" are endless and passing; places and kinds are worth finding.
    const indexable = data.filters.q === '' && !data.filters.open;
    return sendHtml(reply, renderDocument(<DirectoryView ctx={ctx} data={data} map={options.map} />), indexable);
  });

  routes.get('/:lang/facilities/:id', { schema: { params: facilityParams } }, async (request, reply) => {
    const ctx = await portalContext(request, request.params);
    if (!facilityId.test(request.params.id)) throw notFound('No facility of this site has this number.');
    const facility = await directoryService.readFacilityPage(app.db, ctx.site.id, Number(request.params.id), new Date());
    return sendHtml(reply, renderDocument(<FacilityView ctx={ctx} facility={facility} map={options.map} />), true);
  });
};
