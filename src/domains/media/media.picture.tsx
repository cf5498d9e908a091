import type { VNode } from 'preact';
import type { Locale } from '../../platform/i18n.ts';
import type { Media, MediaRendition } from './media.service.ts';

/** What an `<img>` (inside a `<picture>`) needs to show a library image at the right size for the screen. */
export interface MediaSrcset {
  /** The fallback: the original's format about 640 wide (or the widest there is below that). */
  src: string;
  /** Every width in the original's format (WebP for a WebP upload), for `<img srcset>`. */
  srcset: string;
  sizes: string;
  /** The widest rendition's size: lets the browser keep the space before the image arrives. */
  width: number;
  height: number;
  /** `<source>` elements to put before the `<img>` in a `<picture>`: the WebP widths, when the img is not WebP. */
  sources: { type: string; srcset: string; sizes: string }[];
}

/** The width the `sizes` attribute gives by default: the article column (at most 48rem), else the screen. */
export const defaultMediaSizes = '(min-width: 48rem) 48rem, 100vw';

function srcsetOf(renditions: readonly MediaRendition[]): string {
  return renditions.map((rendition) => `${rendition.url} ${rendition.width}w`).join(', ');
}

/**
 * The src, srcset and sizes for showing a library image in a `<picture>` or a plain `<img>`:
 * browsers that take WebP get it from the `<source>`, the others the original's format.
 */
export function mediaSrcset(media: Pick<Media, 'contentType' | 'renditions'>, sizes: string = defaultMediaSizes): MediaSrcset {
  const inFormat = (contentType: string) => media.renditions.filter((rendition) => rendition.contentType === contentType);
  const fallback = inFormat(media.contentType);
  const webp = media.contentType === 'image/webp' ? [] : inFormat('image/webp');
  const widest = fallback[fallback.length - 1];
  if (!widest) throw new Error(`image without renditions in ${media.contentType}`);
  const src = [...fallback].reverse().find((rendition) => rendition.width <= 640) ?? fallback[0] ?? widest;
  return {
    src: src.url,
    srcset: srcsetOf(fallback),
    sizes,
    width: widest.width,
    height: widest.height,
    sources: webp.length > 0 ? [{ type: 'image/webp', srcset: srcsetOf(webp), sizes }] : [],
  };
}

/** A library image as a `<picture>`: WebP where the browser takes it, alternative text in the page's language. */
export function MediaPicture(props: { media: Media; locale: Locale; sizes?: string; class?: string; loading?: 'lazy' | 'eager' }): VNode {
  const image = mediaSrcset(props.media, props.sizes);
  return (
    <picture class={props.class}>
      {image.sources.map((source) => (
        <source type={source.type} srcset={source.srcset} sizes={source.sizes} />
      ))}
      <img
        src={image.src}
        srcset={image.srcset}
        sizes={image.sizes}
        width={image.width}
        height={image.height}
        alt={props.media.alt[props.locale]}
        loading={props.loading ?? 'lazy'}
        decoding="async"
      />
    </picture>
  );
}
