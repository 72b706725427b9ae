// A map with one pin the registrant places: a click on the map puts it there, it can be
// dragged, and moved from the keyboard (arrow keys on the focused pin, Shift for larger
// steps, or the four direction buttons beside the map). The commune's reference point is
// drawn as a ring, where the record goes while no pin is placed. Built on common/map.js
// (CreateMap: outlines beneath optional tiles, with places.js's names when there are none,
// so it reads without a tile server).
import { CreateMap, L } from './map.js';
import { ShowPlaceNames } from './places.js';
import { h } from './dom.js';
import { AddMessages, T } from './i18n.js';

AddMessages({
  'pin.map': { fr: 'Carte : cliquez pour placer le repère de l\'initiative', en: 'Map: click to place the initiative\'s pin' },
  'pin.title': {
    fr: 'Repère de l\'initiative : glissez-le, ou flèches du clavier pour le déplacer',
    en: 'The initiative\'s pin: drag it, or use the arrow keys to move it',
  },
  'pin.commune': { fr: 'Point de référence de la commune', en: 'Reference point of the municipality' },
  'pin.controls': { fr: 'Déplacer le repère', en: 'Move the pin' },
  'pin.place': { fr: 'Placer le repère au centre de la carte', en: 'Put the pin at the centre of the map' },
  'pin.remove': { fr: 'Retirer le repère', en: 'Remove the pin' },
  'pin.north': { fr: 'Vers le nord', en: 'North' },
  'pin.south': { fr: 'Vers le sud', en: 'South' },
  'pin.west': { fr: 'Vers l\'ouest', en: 'West' },
  'pin.east': { fr: 'Vers l\'est', en: 'East' },
  'pin.placed': { fr: 'Repère placé : latitude {latitude}, longitude {longitude}.', en: 'Pin placed: latitude {latitude}, longitude {longitude}.' },
  'pin.removed': { fr: 'Repère retiré.', en: 'Pin removed.' },
});

const kStepPixels = 10;  // one arrow press; Shift: five times as far

export const Round5 = (v) => Math.round(v * 1e5) / 1e5;

export class PinMap {
  // `element`: an empty block; `onChange(latlng | null)` after every move by the person.
  // options: {region, tileUrl, tileAttribution}.
  constructor(element, { onChange = () => {}, region, tileUrl, tileAttribution } = {}) {
    this.onChange = onChange;
    this.pin = null;
    this.communePoint = null;
    this.mapElement = h('div', { class: 'map pin-map', id: 'pin-map' });
    this.status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    const button = (key, run, extra = {}) => h('button', { type: 'button', class: 'secondary', text: T(key), onclick: run, ...extra });
    this.moveButtons = [
      button('pin.north', () => this.Step(0, -1), { 'data-move': 'north' }),
      button('pin.west', () => this.Step(-1, 0), { 'data-move': 'west' }),
      button('pin.east', () => this.Step(1, 0), { 'data-move': 'east' }),
      button('pin.south', () => this.Step(0, 1), { 'data-move': 'south' }),
    ];
    this.removeButton = button('pin.remove', () => this.Remove(true));
    element.append(this.mapElement,
      h('div', { class: 'pin-controls', role: 'group', 'aria-label': T('pin.controls') },
        button('pin.place', () => this.PlaceAtCentre()), ...this.moveButtons, this.removeButton),
      this.status);
    this.ready = CreateMap(this.mapElement, { label: T('pin.map'), focusRegion: region, tileUrl, tileAttribution })
      .then(({ map }) => {
        this.map = map;
        if (!tileUrl) ShowPlaceNames(map);  // the plain background reads with its towns' names
        map.on('click', (e) => this.MoveTo(e.latlng, true));
        this.UpdateButtons();
        return this;
      });
  }

  UpdateButtons() {
    for (const b of this.moveButtons) b.disabled = !this.pin;
    this.removeButton.disabled = !this.pin;
  }

  // The commune's point: shown as a ring, the map centred on it (no pin is placed).
  async ShowCommune(commune) {
    await this.ready;
    if (this.communePoint) this.communePoint.remove();
    this.communePoint = null;
    if (!commune || commune.latitude === undefined || commune.longitude === undefined) return;
    const at = [commune.latitude, commune.longitude];
    this.communePoint = L.circleMarker(at, { radius: 9, color: '#5a6570', weight: 2, dashArray: '3 3', fillOpacity: 0.1, interactive: false }).addTo(this.map);
    // Its name beside it, to find one's way on the plain background (the page says it in words).
    if (commune.name) {
      this.communePoint.bindTooltip(commune.name, { permanent: true, direction: 'right', offset: [8, 0], className: 'pin-commune-name' });
      this.communePoint.getTooltip()?.getElement()?.setAttribute('aria-hidden', 'true');
    }
    // An approximated point may be kilometres from the village: a wider view.
    if (!this.pin) this.map.setView(at, commune.approximate ? 12 : 13, { animate: false });
  }

  // The pin at `latlng` ([lat, lon] or L.LatLng), created if need be; `byPerson`: tell onChange.
  MoveTo(latlng, byPerson = false) {
    const at = L.latLng(latlng);
    if (!this.pin) {
      this.pin = L.marker(at, {
        draggable: true, keyboard: true, autoPan: true, title: T('pin.title'), alt: T('pin.title'),
        icon: L.divIcon({ className: 'pin-marker', iconSize: [26, 26], iconAnchor: [13, 26] }),
      }).addTo(this.map);
      this.pin.on('dragend', () => this.Changed());
      const element = this.pin.getElement();
      element.setAttribute('role', 'button');
      element.setAttribute('aria-label', T('pin.title'));
      element.addEventListener('keydown', (e) => this.PinKey(e));
      this.UpdateButtons();
    } else {
      this.pin.setLatLng(at);
    }
    if (byPerson) this.Changed();
  }

  PinKey(e) {
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    e.stopPropagation();
    this.Step(move[0] * (e.shiftKey ? 5 : 1), move[1] * (e.shiftKey ? 5 : 1));
  }

  // Moves the pin by (dx, dy) steps of kStepPixels on the screen.
  Step(dx, dy) {
    if (!this.pin) return;
    const point = this.map.latLngToContainerPoint(this.pin.getLatLng()).add([dx * kStepPixels, dy * kStepPixels]);
    this.pin.setLatLng(this.map.containerPointToLatLng(point));
    this.map.panInside?.(this.pin.getLatLng(), { padding: [30, 30] });
    this.Changed();
  }

  PlaceAtCentre() {
    const at = this.map.getCenter();
    this.MoveTo(at, true);
    this.map.setView(at, Math.max(this.map.getZoom(), 13), { animate: false });
    this.pin.getElement()?.focus();
  }

  Remove(byPerson = false) {
    if (!this.pin) return;
    this.pin.remove();
    this.pin = null;
    this.UpdateButtons();
    if (byPerson) {
      this.status.textContent = T('pin.removed');
      this.onChange(null);
    }
  }

  Changed() {
    const at = this.pin.getLatLng();
    this.status.textContent = T('pin.placed', { latitude: Round5(at.lat).toFixed(5), longitude: Round5(at.lng).toFixed(5) });
    this.onChange({ latitude: Round5(at.lat), longitude: Round5(at.lng) });
  }

  // The map's size changed (a section opened).
  Refresh() {
    this.map?.invalidateSize();
  }
}
