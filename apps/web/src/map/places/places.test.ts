import { describe, expect, it } from 'vitest';
import { formFieldsFor, listFilterFor, placeContext, searchable, type Place } from './places';

const tillaberi: Place = {
  id: '2439376', name: 'Tillabéri', alternate_names: ['Tillaberi', 'Tilabery'], latitude: 14.21167, longitude: 1.45306, state: 'NER',
  admin1_code: 'NE006', admin1_name: 'Tillabéri', admin2_code: 'NE006010', admin2_name: 'Tillabéri', population: 19262,
};

describe('place search helpers', () => {
  it('asks the server only from 2 characters', () => {
    expect(searchable('T')).toBe(false);
    expect(searchable(' Ti ')).toBe(true);
  });

  it('fills the form: coordinates, precision 2 (within 25 km of a named place), name and areas', () => {
    expect(formFieldsFor(tillaberi)).toEqual({ latitude: '14.21167', longitude: '1.45306', geo_precision: '2', place_name: 'Tillabéri', admin1_code: 'NE006', admin2_code: 'NE006010' });
    expect(formFieldsFor({ ...tillaberi, admin2_code: null }).admin2_code).toBe('');
  });

  it('filters the list on the finest area known', () => {
    expect(listFilterFor(tillaberi)).toEqual({ admin2: ['NE006010'] });
    expect(listFilterFor({ ...tillaberi, admin2_code: null })).toEqual({ admin1: ['NE006'] });
    expect(listFilterFor({ ...tillaberi, admin2_code: null, admin1_code: null })).toEqual({ states: ['NER'] });
  });

  it('tells namesakes apart by their admin-2, admin-1 and state', () => {
    expect(placeContext(tillaberi)).toBe('Tillabéri, Tillabéri (NER)');
    expect(placeContext({ ...tillaberi, name: 'Sinder', admin2_name: 'Tillabéri Commune' })).toBe('Tillabéri Commune, Tillabéri (NER)');
    expect(placeContext({ ...tillaberi, admin2_name: null, admin1_name: null, state: 'NGA' })).toBe('(NGA)');
  });
});
