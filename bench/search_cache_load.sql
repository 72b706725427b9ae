-- Called by bench/search_cache.sh (psql -v n=COUNT): COUNT initiatives written straight into the
-- national tables, names of 30 first words (« Épicerie », « Recyclerie »...) in random order,
-- points uniform over metropolitan France, a valid_until and a hide_after spread over a year.
-- Indexes dropped during the load and made again after it (as a bulk load would).
DROP INDEX IF EXISTS national_initiative_valid_until, national_initiative_hide_after, national_initiative_search, national_initiative_location, national_initiative_activities,
  national_initiative_department, national_initiative_family, national_initiative_commune,
  national_initiative_siret, national_initiative_name;
WITH w AS (SELECT ARRAY['Épicerie','Recyclerie','Café','Atelier','Jardin','Vélo','Ressourcerie','Coopérative','Association','Tiers-lieu',
 'Solidaire','Partagé','Réparation','Amap','Librairie','Boulangerie','Garage','Maison','Ferme','Crèche','Théâtre','Musique','Insertion',
 'Habitat','Énergie','Mobilité','Numérique','Couture','Cuisine','Brasserie'] AS a,
 ARRAY['des','du','de la','le','la','les','en','au'] AS b,
 ARRAY['Lyon','Paris','Marseille','Lille','Nantes','Rennes','Bordeaux','Toulouse','Nice','Brest','Dijon','Tours','Metz','Caen','Pau','Agen',
 'Albi','Arles','Blois','Colmar','Quimper','Vannes','Laval','Annecy','Nîmes','Rodez','Auch','Gap','Millau','Sète'] AS c)
INSERT INTO national_initiative (region, record_id, record_version, log_index, name, name_key, family, legal_form, activities,
  description, commune, commune_name, department, latitude, longitude, valid_until, hide_after, admitted_at, search)
SELECT r, id, 1, g, nm, hub_name_key(nm), fam, lf, ARRAY[act], 'Une initiative ' || nm, lpad((g % 35000)::text,5,'0'), 'Commune ' || (g % 3000),
  lpad((1 + g % 95)::text, 2, '0'), lat, lon,
  now() + ((g % 400) - 40) * interval '1 day', now() + ((g % 400) + 200) * interval '1 day', now() - (g % 700) * interval '1 hour',
  to_tsvector('ess_french', nm || ' ' || 'Une initiative ' || nm)
FROM (SELECT g, (ARRAY['01','02','03','04','06','11','24','27','28','32','44','52','53','75','76','84','93','94'])[1 + g % 18] AS r, gen_random_uuid() AS id,
   w.a[1 + (hashint4(g) & 2147483647) % 30] || ' ' || w.b[1 + (hashint4(g+7) & 2147483647) % 8] || ' ' || w.c[1 + (hashint4(g+13) & 2147483647) % 30]
     || ' ' || g AS nm,
   (ARRAY['commerce','culture','social','environnement'])[1 + g % 4] AS fam,
   (ARRAY['association','scop','scic','mutuelle','sas'])[1 + g % 5] AS lf,
   (ARRAY['alimentation','mobilite','reemploi','culture','education','sante'])[1 + g % 6] AS act,
   41.3 + random() * 9.8 AS lat, -5.1 + random() * 14.7 AS lon
  FROM generate_series(1, :n) g, w) s;
CREATE INDEX national_initiative_search ON national_initiative USING gin (search);
CREATE INDEX national_initiative_location ON national_initiative USING gist (location);
CREATE INDEX national_initiative_activities ON national_initiative USING gin (activities);
CREATE INDEX national_initiative_department ON national_initiative (department);
CREATE INDEX national_initiative_family ON national_initiative (family, legal_form);
CREATE INDEX national_initiative_commune ON national_initiative (commune);
CREATE INDEX national_initiative_siret ON national_initiative (siret) WHERE siret IS NOT NULL;
CREATE INDEX national_initiative_name ON national_initiative (name_key, region, record_id);
CREATE INDEX national_initiative_valid_until ON national_initiative (valid_until) WHERE valid_until IS NOT NULL;
CREATE INDEX national_initiative_hide_after ON national_initiative (hide_after) WHERE hide_after IS NOT NULL;
INSERT INTO national_initiative_state SELECT region, record_id, 1, log_index, 'admitted', admitted_at, admitted_at FROM national_initiative;
VACUUM ANALYZE national_initiative; VACUUM ANALYZE national_initiative_state;
